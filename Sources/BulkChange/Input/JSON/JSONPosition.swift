/// Where something is in a JSON file, for messages a person can act on.
///
/// `line` and `column` are 1-based, as editors show them; `column` counts bytes of the UTF-8 text
/// from the start of the line (characters, for ASCII). `byteOffset` is 0-based, counted in the
/// file's bytes, a byte order mark included. CRLF, LF and a lone CR each end a line.
public struct JSONPosition: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in UTF-8 bytes from the start of the line.
    public var column: Int
    /// 0-based offset in the file.
    public var byteOffset: Int

    /// A position; see the type for what counts from 0 and what from 1.
    public init(line: Int, column: Int, byteOffset: Int) {
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// The first byte of a file.
    public static let start = JSONPosition(line: 1, column: 1, byteOffset: 0)

    /// `line:column`, the form compilers use after a file name.
    public var description: String { "\(line):\(column)" }
}
