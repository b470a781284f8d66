/// Where something is in an XML document, for messages a person can act on.
///
/// `line` and `column` are 1-based, as editors show them; `column` counts UTF-8 bytes from the
/// start of the line, which equals characters for ASCII. CRLF, LF and a lone CR each end a line.
/// `byteOffset` is 0-based and counts every byte fed, a leading UTF-8 byte order mark included
/// (which is not counted in the column).
public struct XMLPosition: Equatable, Sendable, CustomStringConvertible {
    /// 0-based offset in the bytes fed.
    public var byteOffset: Int
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in UTF-8 bytes from the start of the line.
    public var column: Int

    /// A position; see the type for what counts from 0 and what from 1.
    public init(byteOffset: Int, line: Int, column: Int) {
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
    }

    /// `line:column`, the form compilers use after a file name.
    public var description: String { "\(line):\(column)" }
}
