/// What the start of a CSV text says about the rest: an Excel `sep=X` line, and which separator
/// the header record uses.
enum CSVPrelude {
    /// The length of an Excel `sep=X` line (with its line break) at the start of `text`, and its separator.
    ///
    /// Excel writes it as `sep=;` alone on the first line; the `sep` is matched without regard to case.
    static func separatorLine(in text: UnsafeBufferPointer<UInt8>) -> (length: Int, delimiter: UInt8)? {
        guard text.count >= 5 else { return nil }
        // ASCII lower case for the letters only: `| 0x20` would also turn 0x1D into "=".
        let keyword = text[0..<3].map { $0 | 0x20 }
        guard keyword == Array("sep".utf8), text[3] == UInt8(ascii: "=") else { return nil }
        let delimiter = text[4]
        guard delimiter != .cr, delimiter != .lf, delimiter != .quote else { return nil }
        var length = 5
        if length < text.count, text[length] == .cr { length += 1 }
        if length < text.count, text[length] == .lf { length += 1 }
        guard length == text.count || length > 5 else { return nil }
        return (length, delimiter)
    }

    /// The separator of the first record: the candidate seen most often outside quotes on it,
    /// ties going to the earlier candidate; `,` when none appears.
    static func detectDelimiter(in text: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let candidates = CSVReadOptions.detectableDelimiters
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        for byte in text {
            if byte == .quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == .cr || byte == .lf { break }
                if let index = candidates.firstIndex(of: byte) { counts[index] += 1 }
            }
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
            counts[best] > 0
        else { return UInt8(ascii: ",") }
        return candidates[best]
    }
}
