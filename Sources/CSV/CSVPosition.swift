/// Where something is in a text file, for messages a person can act on (the JSON reader uses it
/// too, as `JSONPosition`).
///
/// `line` and `column` are 1-based, as editors show them; `column` counts bytes of the UTF-8 text,
/// which equals characters for ASCII. `byteOffset` is 0-based, counted in the decoded UTF-8 text
/// (after a byte order mark is removed and UTF-16 or Windows-1252 input is converted).
public struct CSVPosition: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number; a line break inside a quoted field starts a new line.
    public var line: Int
    /// 1-based column, in UTF-8 bytes from the start of the line.
    public var column: Int
    /// 0-based offset in the decoded text.
    public var byteOffset: Int

    /// A position; see the type for what counts from 0 and what from 1.
    public init(line: Int, column: Int, byteOffset: Int) {
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// `line:column`, the form compilers use after a file name.
    public var description: String { "\(line):\(column)" }
}
