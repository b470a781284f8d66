import CSV

/// Where something is in a JSON file: the same line, column and offset as a CSV position. A JSON
/// file is UTF-8, so `byteOffset` counts the file's bytes (a byte order mark included).
public typealias JSONPosition = CSVPosition

extension CSVPosition {
    /// The first byte of a file.
    public static let start = CSVPosition(line: 1, column: 1, byteOffset: 0)
}
