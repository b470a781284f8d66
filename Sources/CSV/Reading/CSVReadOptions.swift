/// How a `CSVReader` reads: the separator, the field size cap and the buffer size.
public struct CSVReadOptions: Sendable {
    /// The field separator; `nil` detects it among `,` `;` tab `|` from the header record,
    /// unless the file starts with an Excel `sep=X` line.
    public var delimiter: UInt8?
    /// The largest field accepted, in bytes; past it the reader stops with `CSVError.fieldTooLarge`.
    public var maxFieldSize: Int
    /// Bytes read from the file at a time (also the decoded text buffer's size).
    public var bufferSize: Int

    /// The default cap on a single field: 1 MiB.
    public static let defaultMaxFieldSize = 1 << 20

    public init(delimiter: UInt8? = nil, maxFieldSize: Int = defaultMaxFieldSize, bufferSize: Int = 256 * 1024) {
        precondition(maxFieldSize > 0, "maxFieldSize must be positive")
        self.delimiter = delimiter
        self.maxFieldSize = maxFieldSize
        self.bufferSize = max(bufferSize, 64)
    }

    /// The separators detection chooses among, in order of preference on a tie.
    public static let detectableDelimiters: [UInt8] = [",", ";", "\t", "|"].map { UInt8(ascii: $0) }
}
