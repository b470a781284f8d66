import Foundation

/// A date read from a field: the instant it names, and whether the input gave a time of day.
public struct FieldDate: Equatable, Sendable {
    /// The instant: 00:00 UTC of the day for a date alone.
    public var date: Date
    /// Whether the input had a time (and so an offset), not just a day.
    public var hasTime: Bool

    /// A date at `date`, given with or without a time.
    public init(date: Date, hasTime: Bool) {
        self.date = date
        self.hasTime = hasTime
    }

    /// Whole days from the UTC day of `now` to the UTC day of this date: 0 today, 1 tomorrow,
    /// negative in the past.
    public func daysAhead(of now: Date) -> Int {
        DateCheck.utcDay(date) - DateCheck.utcDay(now)
    }
}

/// Reads the dates rows may carry: `YYYY-MM-DD`, or ISO 8601 with a time and an offset
/// (`2026-12-01T10:00:00+01:00`, `2026-12-01T09:00Z`). Nothing else, so `12/01/2026` can never be
/// read as the wrong month.
public enum DateCheck {
    /// The fix for any other shape.
    public static let hint = "use YYYY-MM-DD (2026-12-01), or a time with its offset (2026-12-01T10:00:00+01:00)"

    /// The date `text` names.
    ///
    /// - Throws: `FieldProblem` for another shape, a day or time that does not exist, or a time
    ///   without an offset.
    public static func parse(_ text: String) throws(FieldProblem) -> FieldDate {
        var cursor = Cursor(text)
        guard let year = cursor.number(digits: 4), cursor.take("-"), let month = cursor.number(digits: 2),
            cursor.take("-"), let day = cursor.number(digits: 2)
        else { throw FieldProblem("not a date", hint: hint) }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else {
            throw FieldProblem("no such day", hint: hint)
        }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day) * 86_400)
        if cursor.isAtEnd { return FieldDate(date: Date(timeIntervalSince1970: seconds), hasTime: false) }

        guard cursor.take("T") || cursor.take("t"), let time = cursor.timeOfDay() else {
            throw FieldProblem("not a date", hint: hint)
        }
        guard time < 86_400 else { throw FieldProblem("no such time of day", hint: hint) }
        guard !cursor.isAtEnd else {
            throw FieldProblem("the time has no UTC offset", hint: "end it with Z or an offset such as +01:00")
        }
        guard let offset = cursor.offset(), cursor.isAtEnd else { throw FieldProblem("not a date", hint: hint) }
        seconds += time - offset
        return FieldDate(date: Date(timeIntervalSince1970: seconds), hasTime: true)
    }

    /// Days since 1970-01-01 of the UTC day `date` falls on.
    static func utcDay(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Days from 1970-01-01 to a day of the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return month == 2 ? (isLeap ? 29 : 28) : [4, 6, 9, 11].contains(month) ? 30 : 31
    }
}

/// Walks the UTF-8 of a date, one piece at a time.
private struct Cursor {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { index == bytes.count }

    /// Takes `character` when it comes next.
    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Exactly `digits` ASCII digits as a number.
    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += digits
        return value
    }

    /// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff` as seconds since midnight.
    mutating func timeOfDay() -> Double? {
        guard let hour = number(digits: 2), take(":"), let minute = number(digits: 2), minute < 60 else { return nil }
        var seconds = Double(hour * 3600 + minute * 60)
        guard take(":") else { return seconds }
        guard let second = number(digits: 2), second < 60 else { return nil }
        seconds += Double(second)
        guard take(".") else { return seconds }
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        guard index > start, let fraction = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self))
        else { return nil }
        return seconds + fraction
    }

    /// `Z`, `±HH`, `±HHMM` or `±HH:MM` as seconds east of UTC.
    mutating func offset() -> Double? {
        if take("Z") || take("z") { return 0 }
        let sign: Double
        if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
        guard let hours = number(digits: 2), hours < 24 else { return nil }
        if isAtEnd { return sign * Double(hours * 3600) }
        _ = take(":")
        guard let minutes = number(digits: 2), minutes < 60 else { return nil }
        return sign * Double(hours * 3600 + minutes * 60)
    }
}
