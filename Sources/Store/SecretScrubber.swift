/// Removes credentials from request and response text before it is stored or shown.
///
/// Three passes over the UTF-8 bytes, each replacing a secret with `<redacted>`:
/// - JSON members whose key looks secret (`apiKey`, `api_key`, `password`, `client_secret`,
///   `accessToken`, `Authorization`…, compared without case, `_` and `-`): the value, string or
///   scalar, becomes the string `"<redacted>"`; objects and arrays are scrubbed member by member.
/// - Header lines whose name looks secret (`Authorization:`, `Proxy-Authorization:`, `X-Api-Key:`):
///   everything after the colon.
/// - `Basic …` and `Bearer …` credentials anywhere (case-sensitive, as HTTP writes them; the
///   credential must look like one: eight or more characters, not all lower-case letters).
public enum SecretScrubber {
    /// What a secret is replaced with.
    public static let placeholder = "<redacted>"

    /// `text` with every secret the passes find replaced by `placeholder`.
    public static func scrub(_ text: String) -> String {
        var bytes = Array(text.utf8)
        bytes = scrubJSONMembers(bytes)
        bytes = scrubHeaderLines(bytes)
        bytes = scrubCredentials(bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let secretWords = ["apikey", "password", "passwd", "secret", "token", "authorization"]
    private static let placeholderBytes = Array(placeholder.utf8)
    private static let quote = UInt8(ascii: "\"")

    /// Whether a key or header name looks like it holds a secret.
    private static func isSecret(_ name: some Collection<UInt8>) -> Bool {
        let normalized = String(
            decoding: name.filter { $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-") }, as: UTF8.self
        ).lowercased()
        return secretWords.contains { normalized.contains($0) }
    }

    private static func scrubJSONMembers(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == quote else {
                output.append(bytes[index])
                index += 1
                continue
            }
            let keyEnd = endOfString(bytes, startingAt: index)
            output += bytes[index..<keyEnd]
            let isSecretKey = keyEnd - index >= 2 && isSecret(bytes[(index + 1)..<(keyEnd - 1)])
            index = keyEnd
            var cursor = skipSpaces(bytes, from: index)
            guard isSecretKey, cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { continue }
            cursor = skipSpaces(bytes, from: cursor + 1)
            output += bytes[index..<cursor]
            index = cursor
            guard cursor < bytes.count else { continue }
            if bytes[cursor] == quote {
                index = endOfString(bytes, startingAt: cursor)
            } else if !"{[".utf8.contains(bytes[cursor]) {
                while index < bytes.count, !",}]\r\n\t ".utf8.contains(bytes[index]) { index += 1 }
            } else {
                continue
            }
            output += [quote] + placeholderBytes + [quote]
        }
        return output
    }

    /// The index just past the string that opens at `start`, honouring backslash escapes.
    private static func endOfString(_ bytes: [UInt8], startingAt start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case quote: return index + 1
            default: index += 1
            }
        }
        return bytes.count
    }

    private static func skipSpaces(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, " \t\r\n".utf8.contains(bytes[index]) { index += 1 }
        return index
    }

    private static func scrubHeaderLines(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n"), bytes[lineEnd] != UInt8(ascii: "\r") {
                lineEnd += 1
            }
            let line = bytes[lineStart..<lineEnd]
            if let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > lineStart,
                line[..<colon].allSatisfy(isHeaderNameByte), isSecret(line[..<colon])
            {
                output += line[...colon] + [UInt8(ascii: " ")] + placeholderBytes
            } else {
                output += line
            }
            var next = lineEnd
            while next < bytes.count, next < lineEnd + 2,
                bytes[next] == UInt8(ascii: "\r") || bytes[next] == UInt8(ascii: "\n")
            {
                next += 1
            }
            output += bytes[lineEnd..<next]
            lineStart = next
        }
        return output
    }

    private static func isHeaderNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func scrubCredentials(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        scan: while index < bytes.count {
            for scheme in ["Basic ", "Bearer "].map({ Array($0.utf8) }) where bytes[index...].starts(with: scheme) {
                let startsWord = index == 0 || !isHeaderNameByte(bytes[index - 1])
                var end = index + scheme.count
                while end < bytes.count, isTokenByte(bytes[end]) { end += 1 }
                if startsWord, looksLikeCredential(bytes[(index + scheme.count)..<end]) {
                    output += scheme + placeholderBytes
                    index = end
                    continue scan
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return output
    }

    /// Eight or more token characters, not all lower-case letters: `Basic dXNlcjprZXk=` is a
    /// credential, `Basic checks` or `Basic information` in prose is not.
    private static func looksLikeCredential(_ token: ArraySlice<UInt8>) -> Bool {
        token.count >= 8 && token.contains { !(UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    }

    /// Characters of a base64 or token68 credential.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        isHeaderNameByte(byte) || "+/=._~".utf8.contains(byte)
    }
}
