/// The byte-level encodings of MIME (RFC 2045): base64 and quoted-printable, and line breaks.
///
/// Everything here is pure and works on bytes; `MIME+Headers.swift` builds header fields on top.
enum MIME {
    static let crlf: [UInt8] = [0x0D, 0x0A]

    /// The longest encoded line of a base64 or quoted-printable body, without its CRLF (RFC 2045).
    static let maximumBodyLineLength = 76

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `bytes` in base64, padded, on one line.
    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let count = min(3, bytes.count - start)
            var value = UInt32(bytes[start]) << 16
            if count > 1 { value |= UInt32(bytes[start + 1]) << 8 }
            if count > 2 { value |= UInt32(bytes[start + 2]) }
            for position in 0..<4 {
                let sextet = Int(value >> (18 - 6 * UInt32(position)) & 0x3F)
                output.append(position <= count ? base64Alphabet[sextet] : UInt8(ascii: "="))
            }
        }
        return output
    }

    /// `bytes` in base64 as lines of at most 76 characters joined by CRLF, with no CRLF after the last.
    static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        let encoded = base64(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(encoded.count + encoded.count / maximumBodyLineLength * 2)
        for start in stride(from: 0, to: encoded.count, by: maximumBodyLineLength) {
            if start > 0 { output += crlf }
            output += encoded[start..<min(start + maximumBodyLineLength, encoded.count)]
        }
        return output
    }

    /// The lines of `text` as UTF-8 without their breaks; CRLF, a lone CR and a lone LF each end a line.
    ///
    /// A text ending with a line break has no empty last line, so `"a\n"` and `"a"` are both `["a"]`.
    static func lines(of text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 0x0A, previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                lines.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// `text` as quoted-printable (RFC 2045 §6.7) with CRLF line breaks, each line ended by CRLF.
    ///
    /// Printable ASCII stays readable; `=`, control characters, non-ASCII bytes and whitespace at the
    /// end of a line become `=XX`; lines longer than 76 characters get soft breaks (`=` CRLF). A
    /// line `.` stays `.`: the SMTP layer (libcurl) dot-stuffs what it sends.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        for line in lines(of: text) {
            var lineLength = 0
            for (offset, byte) in line.enumerated() {
                let isLast = offset == line.count - 1
                let literal =
                    (byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "="))
                    || (!isLast && (byte == 0x20 || byte == 0x09))
                let token =
                    literal ? [byte] : [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
                // Keep room for the soft break's "=", except for the line's last token.
                let limit = isLast ? maximumBodyLineLength : maximumBodyLineLength - 1
                if lineLength + token.count > limit {
                    output += [UInt8(ascii: "=")] + crlf
                    lineLength = 0
                }
                output += token
                lineLength += token.count
            }
            output += crlf
        }
        return output
    }

    /// Percent-encoding for an RFC 8187 extended parameter value: every byte but `attr-char`.
    static func percentEncoded(_ text: String) -> String {
        let attributeCharacters = Set("!#$&+-.^_`|~".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            if isAlphanumeric(byte) || attributeCharacters.contains(byte) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// Whether `needle` occurs anywhere in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    /// A multipart boundary made of random hex digits behind `=_`, which neither base64 nor
    /// quoted-printable ever produces.
    static func randomBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<16).map { _ in hexDigits[Int(generator.next() % 16)] }
        return "=_bulkdrop_" + String(decoding: random, as: UTF8.self)
    }
}
