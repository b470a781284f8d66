/// A CSV text that cannot be read without guessing, or a file that cannot be read at all.
///
/// The description reads `LINE:COLUMN: reason`; callers put the file name in front
/// (`fleet.csv:13:7: unterminated quoted field …`).
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A quoted field was still open at the end of the input.
    case unterminatedQuotedField(start: CSVPosition)
    /// Something other than a separator, a line break or a second quote followed a closing quote.
    case charactersAfterClosingQuote(at: CSVPosition)
    /// One field grew past the configured maximum, usually because of a stray opening quote.
    case fieldTooLarge(start: CSVPosition, limit: Int)
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The output file could not be created or written.
    case unwritable(path: String, reason: String)

    /// Where the problem is, when it is inside the text.
    public var position: CSVPosition? {
        switch self {
        case .unterminatedQuotedField(let start), .fieldTooLarge(let start, _): start
        case .charactersAfterClosingQuote(let at): at
        case .unreadable, .unwritable: nil
        }
    }

    /// What is wrong and how to fix it, without the position.
    public var reason: String {
        switch self {
        case .unterminatedQuotedField:
            "unterminated quoted field started here; add the closing quote (\") or double the quotes inside the field"
        case .charactersAfterClosingQuote:
            "characters after a closing quote; a quote inside a quoted field must be doubled (\"\")"
        case .fieldTooLarge(_, let limit):
            "field starting here is larger than \(limit) bytes; look for a quote (\") that is never closed"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }

    public var description: String {
        guard let position else { return reason }
        return "\(position): \(reason)"
    }
}

/// Something a reader noticed and worked around; the records are still delivered.
public enum CSVWarning: Equatable, Sendable, CustomStringConvertible {
    /// The text stopped being valid UTF-8 here, so the rest was decoded as Windows-1252.
    case decodedAsWindows1252(from: CSVPosition)
    /// The text has no byte order mark but the zero bytes of UTF-16, so it was decoded as UTF-16
    /// in that byte order.
    case decodedAsUTF16WithoutByteOrderMark(bigEndian: Bool)

    /// `LINE:COLUMN: warning: …`; callers put the file name in front.
    public var description: String {
        switch self {
        case .decodedAsWindows1252(let from):
            "\(from): warning: text is not valid UTF-8 from here on; read it as Windows-1252. "
                + "Save the file as \"CSV UTF-8\" to avoid guessing"
        case .decodedAsUTF16WithoutByteOrderMark(let bigEndian):
            "1:1: warning: text is UTF-16 \(bigEndian ? "big" : "little")-endian (\(bigEndian ? "UTF-16BE" : "UTF-16LE")) "
                + "without a byte order mark; read it as such. Save the file as \"CSV UTF-8\" to avoid guessing"
        }
    }
}
