import Foundation

/// Small decoders for checking what the renderer wrote; Python's `email` package checks the
/// same end to end in the SMTP tests.
public enum MIMEDecoding {
    /// Quoted-printable (RFC 2045 §6.7) back to bytes: `=XX` escapes and soft breaks undone.
    public static func quotedPrintable(_ encoded: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < encoded.count {
            let byte = encoded[index]
            if byte == UInt8(ascii: "="), index + 2 < encoded.count {
                let next = Array(encoded[(index + 1)...(index + 2)])
                if next == [0x0D, 0x0A] {
                    index += 3  // soft line break
                    continue
                }
                if let value = UInt8(String(decoding: next, as: UTF8.self), radix: 16) {
                    output.append(value)
                    index += 3
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return output
    }

    /// The text of a header value made of RFC 2047 `=?UTF-8?B?…?=` words (and nothing else),
    /// with folding undone; each word must hold whole UTF-8 characters.
    public static func encodedWords(_ value: String) -> String? {
        var text = ""
        for word in value.split(whereSeparator: { $0 == " " || $0 == "\r\n" }) {
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))),
                let piece = String(data: data, encoding: .utf8)
            else { return nil }
            text += piece
        }
        return text
    }

    /// The header of a rendered message (or part) as `(name, unfolded value)` pairs, and the rest.
    public static func split(_ message: [UInt8]) -> (fields: [(name: String, value: String)], body: [UInt8]) {
        let text = String(decoding: message, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return ([], message) }
        var fields: [(name: String, value: String)] = []
        for line in text[..<end.lowerBound].components(separatedBy: "\r\n") {
            if line.hasPrefix(" "), !fields.isEmpty {
                fields[fields.count - 1].value += line
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst())))
            }
        }
        return (fields, Array(text[end.upperBound...].utf8))
    }

    /// The parts of a multipart body between `--boundary` delimiters, each without the CRLF
    /// that belongs to the delimiter after it.
    public static func parts(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        let text = String(decoding: body, as: UTF8.self)
        let pieces = text.components(separatedBy: "--\(boundary)")
        guard pieces.count >= 3 else { return [] }
        return pieces.dropFirst().dropLast().map { piece in
            var part = Substring(piece)
            if part.hasPrefix("\r\n") { part = part.dropFirst() }
            if part.hasSuffix("\r\n") { part = part.dropLast() }
            return Array(part.utf8)
        }
    }
}
