/// The byte classes of the XML grammar as this reader applies it to UTF-8.
///
/// Names are "well-formed enough": ASCII letters, digits, `_ - . :` and any non-ASCII byte (the
/// UTF-8 is checked separately), not starting with a digit, `-` or `.`.
extension UInt8 {
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let ampersand = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";")
    static let slash = UInt8(ascii: "/")
    static let question = UInt8(ascii: "?")
    static let exclamation = UInt8(ascii: "!")
    static let equals = UInt8(ascii: "=")
    static let colon = UInt8(ascii: ":")
    static let hyphen = UInt8(ascii: "-")
    static let closingBracket = UInt8(ascii: "]")
    static let doubleQuote = UInt8(ascii: "\"")
    static let singleQuote = UInt8(ascii: "'")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    /// Space, tab, LF or CR: XML's `S`.
    @inline(__always)
    var isXMLWhitespace: Bool {
        self == .space || self == .lf || self == .tab || self == .cr
    }

    /// Whether the byte may appear in a name.
    @inline(__always)
    var isNameByte: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), .hyphen, UInt8(ascii: "."), .colon, 0x80...:
            true
        default:
            false
        }
    }

    /// Whether the byte may start a name (or the local part after a colon).
    @inline(__always)
    var isNameStartByte: Bool {
        isNameByte && !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) && self != .hyphen
            && self != UInt8(ascii: ".")
    }
}

/// The character starting at `start` as an `unexpectedCharacter` error shows it: `'$'`, or
/// `U+000B` when it does not print.
///
/// The bytes from `start` on are checked UTF-8 holding at least the whole character.
func quotedCharacter(at start: UnsafePointer<UInt8>) -> String {
    let lead = start[0]
    let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    let text = String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self)
    let value = text.unicodeScalars.first?.value ?? UInt32(lead)
    if value > 0x20 && !(0x7F...0xA0).contains(value) { return "'\(text)'" }
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
