import Foundation

/// Timestamps as text: ISO-8601 in UTC, kept to the millisecond.
///
/// The fixed-width form `2026-11-27T10:00:00.000Z` sorts as time does (the store's columns hold
/// it, and Control Center writes it); the display form drops a `.000` (`2026-11-27T10:00:00Z`).
/// Hand-written because both directions run once per device in bulk loads and device listings,
/// where a date formatter is the slowest step.
public enum UTCTimestamp {
    /// What a time without a zone means.
    public enum MissingZone: Sendable {
        /// It is not read (the store's own text always has one).
        case refused
        /// It is UTC (Control Center leaves it out at times).
        case utc
    }

    /// The fixed-width form, always with milliseconds.
    public static func text(_ date: Date) -> String { format(date, alwaysMilliseconds: true) }

    /// The form shown to people: milliseconds only when there are some.
    public static func displayText(_ date: Date) -> String { format(date, alwaysMilliseconds: false) }

    /// Reads `2026-11-27`, `2026-11-27T10:00:00Z`, `2026-11-27 10:00:00.5+01:00`,
    /// `2016-06-29 00:21:33.339+0000` and the like (spaces around it are ignored); a bare date is
    /// midnight UTC. Nil for anything else.
    public static func date(from text: String, missingZone: MissingZone = .refused) -> Date? {
        var bytes = Array(text.utf8)[...]
        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        var scanner = ByteCursor(Array(bytes))
        guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2),
            scanner.skip("-"), let day = scanner.number(digits: 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var milliseconds = CivilDate.days(year: Int(year), month: Int(month), day: Int(day)) * 86_400_000
        if scanner.atEnd { return Date(milliseconds: milliseconds) }
        guard scanner.skip("T") || scanner.skip(" "), let hour = scanner.number(digits: 2), hour < 24,
            scanner.skip(":"), let minute = scanner.number(digits: 2), minute < 60
        else { return nil }
        var second: Int64 = 0
        if scanner.skip(":") {
            guard let value = scanner.number(digits: 2), value < 60 else { return nil }
            second = value
        }
        milliseconds += ((hour * 60 + minute) * 60 + second) * 1000
        if scanner.skip(".") {
            guard let fraction = scanner.fraction() else { return nil }
            milliseconds += fraction
        }
        if !scanner.skip("Z"), !(missingZone == .utc && scanner.atEnd) {
            guard let sign: Int64 = scanner.skip("+") ? 1 : (scanner.skip("-") ? -1 : nil),
                let hours = scanner.number(digits: 2), hours < 24
            else { return nil }
            _ = scanner.skip(":")
            guard let minutes = scanner.number(digits: 2), minutes < 60 else { return nil }
            milliseconds -= sign * (hours * 60 + minutes) * 60_000
        }
        return scanner.atEnd ? Date(milliseconds: milliseconds) : nil
    }

    private static func format(_ date: Date, alwaysMilliseconds: Bool) -> String {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, dayMilliseconds) = floorDivision(total, 86_400_000)
        let civil = CivilDate.date(days: days)
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        let seconds = dayMilliseconds / 1000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func append(_ value: Int64, width: Int, after separator: UInt8? = nil) {
            if let separator { bytes.append(separator) }
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] += UInt8(rest % 10)
                rest /= 10
            }
            bytes += digits
        }
        append(year, width: 4)
        append(month, width: 2, after: UInt8(ascii: "-"))
        append(day, width: 2, after: UInt8(ascii: "-"))
        append(seconds / 3600, width: 2, after: UInt8(ascii: "T"))
        append(seconds / 60 % 60, width: 2, after: UInt8(ascii: ":"))
        append(seconds % 60, width: 2, after: UInt8(ascii: ":"))
        if alwaysMilliseconds || dayMilliseconds % 1000 != 0 {
            append(dayMilliseconds % 1000, width: 3, after: UInt8(ascii: "."))
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A cursor over ASCII bytes.
    private struct ByteCursor {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func number(digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + digits] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }

        /// One to nine fraction digits, as whole milliseconds (rounded).
        mutating func fraction() -> Int64? {
            var nanoseconds: Int64 = 0
            var count = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]), count < 9 {
                nanoseconds = nanoseconds * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                index += 1
                count += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanoseconds *= 10 }
            return (nanoseconds + 500_000) / 1_000_000
        }
    }
}

extension Date {
    fileprivate init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
