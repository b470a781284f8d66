import CSV

/// JSON text that cannot be read, with where it goes wrong.
///
/// The description reads `LINE:COLUMN: reason`; callers put the file name in front
/// (`fleet.json:3:17: expected ',' or '}' after a value, found '"'; …`).
public enum JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A token that cannot come here: `found` describes it (`'}'`, `a string`, `the end of the
    /// file`), `expected` says what could (`',' or '}' after a value`).
    case unexpected(found: String, expected: String, at: JSONPosition)
    /// A string still open at the end of the file.
    case unterminatedString(start: JSONPosition)
    /// A control character (below U+0020, such as a line break or tab) written as it is inside a string.
    case controlCharacterInString(UInt8, at: JSONPosition)
    /// A backslash followed by something JSON does not define; `escape` is what was written (`\x`).
    case invalidEscape(String, at: JSONPosition)
    /// A `\uXXXX` escape of half a surrogate pair without its other half (`\uD83D`).
    case loneSurrogate(String, at: JSONPosition)
    /// The string starting here holds bytes that are not UTF-8.
    case notUTF8(start: JSONPosition)
    /// A number that does not follow JSON's rules (`01`, `1.`, `+1`, `.5`); the text as written.
    case invalidNumber(String, at: JSONPosition)
    /// A string or number longer than `limit` bytes, usually a quote that is never closed.
    case valueTooLong(start: JSONPosition, limit: Int)
    /// Objects and arrays nested deeper than `limit`.
    case tooDeep(limit: Int, at: JSONPosition)
    /// The file is UTF-16 (with or without a byte order mark), not UTF-8.
    case utf16(bigEndian: Bool)
    /// The file grew past `limit` bytes while it was read.
    case tooLarge(limit: Int)
    /// The file could not be read.
    case unreadable(CSVError)

    /// Where the problem is, when it is inside the text.
    public var position: JSONPosition? {
        switch self {
        case .unexpected(_, _, let at), .controlCharacterInString(_, let at), .invalidEscape(_, let at),
            .loneSurrogate(_, let at), .invalidNumber(_, let at), .tooDeep(_, let at):
            at
        case .unterminatedString(let start), .notUTF8(let start), .valueTooLong(let start, _): start
        case .utf16: .start
        case .tooLarge, .unreadable: nil
        }
    }

    /// What is wrong and how to fix it, without the position.
    public var reason: String {
        switch self {
        case .unexpected(let found, let expected, _):
            "expected \(expected), found \(found)"
        case .unterminatedString:
            "unterminated string started here; add the closing quote (\")"
        case .controlCharacterInString(let byte, _):
            "\(Self.controlName(byte)) inside a string; write it as \(Self.controlEscape(byte)), "
                + "or close the string (\") before it"
        case .invalidEscape(let escape, _):
            "\(Echo.quoted(escape)) is not a JSON escape; use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX "
                + "(a backslash itself is \\\\)"
        case .loneSurrogate(let escape, _):
            "\(escape) is half of a UTF-16 surrogate pair without its other half; write the pair "
                + "(\\uD83D\\uDE00) or the character itself"
        case .notUTF8:
            "the string starting here is not UTF-8; save the file as UTF-8"
        case .invalidNumber(let text, _):
            "\(Echo.quoted(text)) is not a JSON number; write digits with an optional '-', '.' and exponent "
                + "(12, -3.5, 1e6), no leading zeros, or put the value in quotes"
        case .valueTooLong(_, let limit):
            "the value starting here is longer than \(Wording.number(limit)) bytes; "
                + "look for a quote (\") that is never closed"
        case .tooDeep(let limit, _):
            "objects and arrays nest more than \(limit) levels deep here; a bulk change needs 3 "
                + "(the file, \"devices\", a device)"
        case .utf16(let bigEndian):
            "the file is UTF-16 (\(bigEndian ? "big" : "little")-endian), not UTF-8; save it as UTF-8"
        case .tooLarge(let limit):
            "the file grew past \(Wording.number(limit)) bytes while it was read"
        case .unreadable(let error):
            error.reason
        }
    }

    /// `LINE:COLUMN: reason`, or just the reason when there is no position.
    public var description: String {
        guard let position else { return reason }
        return "\(position): \(reason)"
    }

    private static func controlName(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A, 0x0D: "a line break"
        case 0x09: "a tab"
        default: "control character U+00\(hex(byte))"
        }
    }

    private static func controlEscape(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A: "\\n"
        case 0x0D: "\\r"
        case 0x09: "\\t"
        default: "\\u00\(hex(byte))"
        }
    }

    /// Two upper-case hex digits.
    static func hex(_ byte: UInt8) -> String {
        (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }
}
