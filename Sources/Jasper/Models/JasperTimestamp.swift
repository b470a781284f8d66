import Foundation

/// Control Center's timestamps: `2016-06-29 00:21:33.339+0000` and `2016-06-29T00:21:33.339Z`
/// both appear in responses; both are read, and the second form is written.
public enum JasperTimestamp {
    /// Parses either form (fractional seconds and the offset optional); `nil` for anything else.
    public static func parse(_ text: String) -> Date? {
        var normalized = text.trimmingCharacters(in: .whitespaces)
        if let space = normalized.firstIndex(of: " "), normalized.distance(from: normalized.startIndex, to: space) == 10
        {
            normalized.replaceSubrange(space...space, with: "T")
        }
        for parser in parsers {
            if let date = parser.date(from: normalized) { return date }
        }
        return nil
    }

    /// `2016-06-29T00:21:33.339Z`, in UTC.
    public static func format(_ date: Date) -> String {
        writer.string(from: date)
    }

    // DateFormatter is Sendable here: thread-safe for formatting and parsing once configured,
    // and these are never reconfigured after creation.
    private static let parsers: [DateFormatter] = [
        "yyyy-MM-dd'T'HH:mm:ss.SSSXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXX",
        "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd",
    ].map(makeFormatter)

    private static let writer = makeFormatter("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")

    private static func makeFormatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}
