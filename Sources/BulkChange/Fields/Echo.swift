/// Input values as messages quote them: whole when short, else cut, with a note saying so.
///
/// Every message, reason, warning, email or log line that repeats a value from a partner's file
/// goes through here, so one runaway cell (a megabyte in an ICCID column, a stray quote that
/// swallowed the rest of the file) cannot make a message as large as the file:
/// `"12345678…" (1,000,000 characters, cut)`.
public enum Echo {
    /// The most characters of a value a message repeats.
    public static let limit = 200

    /// `text` in double quotes, cut to `limit` characters with a note when longer.
    public static func quoted(_ text: String) -> String {
        guard let cut = cut(text) else { return "\"\(text)\"" }
        return "\"\(cut.prefix)…\" (\(cut.count) characters, cut)"
    }

    /// `text` as it is, cut to `limit` characters with a note when longer; for messages that show
    /// a value without quotes (`Excel turned the ICCID into a number (8.9E+18)`).
    public static func plain(_ text: String) -> String {
        guard let cut = cut(text) else { return text }
        return "\(cut.prefix)… (\(cut.count) characters, cut)"
    }

    /// The first `limit` characters and the count of all, written with thousands separators;
    /// `nil` when `text` is short enough to repeat whole.
    private static func cut(_ text: String) -> (prefix: Substring, count: String)? {
        // Counting UTF-8 bytes is cheap and bounds the characters from above.
        guard text.utf8.count > limit else { return nil }
        let count = text.count
        guard count > limit else { return nil }
        return (text.prefix(limit), Wording.number(count))
    }
}
