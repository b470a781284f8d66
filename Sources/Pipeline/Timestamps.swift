import Foundation

/// How BulkDrop writes times in files and messages: ISO 8601 in UTC, to the second.
public enum Timestamps {
    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// `2026-11-27`, the UTC day of `date`.
    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }
}
