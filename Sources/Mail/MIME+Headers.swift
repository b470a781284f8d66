import CivilDate
import Foundation

/// Header fields: folding, RFC 2047 encoded words, attachment parameters and the RFC 5322 date.
///
/// No value built here ever holds a CR or LF from its input: `singleLine(_:)` turns each into a
/// space first, and the only line breaks are the ones folding inserts (always CRLF + space).
extension MIME {
    /// The longest header line we produce when folding can keep it that short (RFC 5322 §2.1.1).
    static let maximumHeaderLineLength = 78

    /// `text` with every CR and LF replaced by a space.
    static func singleLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : Character($0) })
    }

    /// `Name: word word …`, folded before a word wherever the line would pass 78 characters.
    ///
    /// Words are joined by one space; a fold replaces that space with CRLF + space, so unfolding
    /// gives the same value back. A word longer than a line stays whole on its own line.
    static func foldedField(_ name: String, words: [String]) -> String {
        var field = name + ":"
        var lineLength = field.utf8.count
        var lineHasWord = false
        for word in words {
            let length = word.utf8.count
            if lineHasWord, !word.isEmpty, lineLength + 1 + length > maximumHeaderLineLength {
                field += "\r\n"
                lineLength = 0
            }
            field += " " + word
            lineLength += 1 + length
            lineHasWord = true
        }
        return field
    }

    /// The longest line in a folded field.
    static func longestLine(_ field: String) -> Int {
        field.split(separator: "\r\n", omittingEmptySubsequences: false).map(\.utf8.count).max() ?? 0
    }

    /// `Name: value` for unstructured text such as a subject: as it is when it is printable ASCII
    /// that folds within 78 characters, otherwise as RFC 2047 `=?UTF-8?B?…?=` encoded words.
    static func unstructuredField(_ name: String, _ value: String) -> String {
        let text = singleLine(value)
        let isPlain = text.utf8.allSatisfy { (0x20...0x7E).contains($0) } && !text.contains("=?")
        if isPlain {
            let field = foldedField(
                name, words: text.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
            if longestLine(field) <= maximumHeaderLineLength { return field }
        }
        return foldedField(name, words: encodedWords(text, fieldName: name))
    }

    /// `text` as base64 encoded words, each short enough to follow `Name: ` within 78 characters
    /// (and so within RFC 2047's 75), and each holding whole UTF-8 characters.
    static func encodedWords(_ text: String, fieldName: String) -> [String] {
        let overhead = "=?UTF-8?B??=".utf8.count
        let capacity = max(3, (maximumHeaderLineLength - fieldName.utf8.count - 2 - overhead) / 4 * 3)
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > capacity {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + String(decoding: base64(bytes), as: UTF8.self) + "?="
    }

    /// `Content-Disposition: attachment` naming `fileName` twice: a quoted ASCII `filename=` for
    /// old readers, with anything unsafe replaced by `_`, and the UTF-8 name as `filename*=`
    /// (RFC 6266 / RFC 8187), which current readers prefer.
    ///
    /// Path separators (`/`, `\`) become `_` in both, so no reader takes the name for a path.
    /// Folding happens between the parameters only: a long name makes a line longer than 78
    /// characters (names are cut to 120 bytes, so lines stay far below RFC 5322's 998) rather
    /// than being split into RFC 2231 continuations, which fewer readers understand.
    static func attachmentDisposition(fileName: String) -> String {
        let name = limitedFileName(singleLine(fileName).replacing("/", with: "_").replacing("\\", with: "_"))
        let safe = Set(" ._-()+,=@#&!~[]'".unicodeScalars)
        let fallback = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar in
                    scalar.isASCII && (isAlphanumeric(UInt8(scalar.value)) || safe.contains(scalar)) ? scalar : "_"
                }))
        return foldedField(
            "Content-Disposition",
            words: ["attachment;", "filename=\"\(fallback)\";", "filename*=UTF-8''\(percentEncoded(name))"])
    }

    /// `fileName`, or `attachment` when empty, cut to at most 120 UTF-8 bytes while keeping a short extension.
    static func limitedFileName(_ fileName: String) -> String {
        let limit = 120
        guard !fileName.isEmpty else { return "attachment" }
        guard fileName.utf8.count > limit else { return fileName }
        var stem = Substring(fileName)
        var suffix = Substring("")
        if let dot = fileName.lastIndex(of: "."), fileName.distance(from: dot, to: fileName.endIndex) <= 10 {
            stem = fileName[..<dot]
            suffix = fileName[dot...]
        }
        var budget = limit - suffix.utf8.count
        var end = stem.startIndex
        while end < stem.endIndex, stem[end].utf8.count <= budget {
            budget -= stem[end].utf8.count
            end = stem.index(after: end)
        }
        return String(stem[..<end] + suffix)
    }

    /// `contentType` when it is a plain `type/subtype` with optional printable parameters, else
    /// `application/octet-stream`.
    static func safeContentType(_ contentType: String) -> String {
        let parts = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        let tokenBytes = Set("!#$&^_.+-".utf8)
        let media = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        let isToken = { (part: Substring) in
            !part.isEmpty && part.utf8.allSatisfy { isAlphanumeric($0) || tokenBytes.contains($0) }
        }
        let parametersArePrintable = parts.count == 1 || parts[1].utf8.allSatisfy { (0x20...0x7E).contains($0) }
        guard media.count == 2, isToken(media[0]), isToken(media[1]), parametersArePrintable else {
            return "application/octet-stream"
        }
        return contentType
    }

    /// `date` in RFC 5322 form, in UTC: `Fri, 27 Nov 2026 09:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.date(days: Int64(days))
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((days % 7) + 7) % 7]
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = [secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60].map(twoDigits).joined(separator: ":")
        return "\(weekday), \(twoDigits(day)) \(months[month - 1]) \(year) \(time) +0000"
    }
}
