import Foundation

/// Control Center's timestamps: `2016-06-29 00:21:33.339+0000` and `2016-06-29T00:21:33.339Z`
/// both appear in responses; both are read, and the second form is written.
///
/// Read and written by hand: a device listing carries one per device, and a date formatter costs
/// far more than the rest of the listing.
public enum JasperTimestamp {
    /// Parses either form (fractional seconds and the offset optional, a day alone too); `nil` for
    /// anything else.
    public static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8).drop { $0 == UInt8(ascii: " ") })
        guard let year = scanner.number(digits: 4), scanner.take("-"), let month = scanner.number(digits: 2),
            scanner.take("-"), let day = scanner.number(digits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if scanner.atEnd { return Date(timeIntervalSince1970: seconds) }
        guard scanner.take("T") || scanner.take(" "), let hour = scanner.number(digits: 2), scanner.take(":"),
            let minute = scanner.number(digits: 2), scanner.take(":"), let second = scanner.number(digits: 2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60 + second)
        if scanner.take(".") {
            guard let fraction = scanner.fraction() else { return nil }
            seconds += fraction
        }
        if scanner.take("Z") {
            // UTC
        } else if let sign = scanner.sign() {
            guard let hours = scanner.number(digits: 2) else { return nil }
            _ = scanner.take(":")
            guard let minutes = scanner.number(digits: 2) else { return nil }
            seconds -= Double(sign * (hours * 3600 + minutes * 60))
        }
        guard scanner.atEndIgnoringSpaces else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2016-06-29T00:21:33.339Z`, in UTC.
    public static func format(_ date: Date) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, dayMilliseconds) = floorDivision(totalMilliseconds, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let milliseconds = Int(dayMilliseconds)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(milliseconds / 3_600_000, 2) + ":"
            + pad(milliseconds / 60_000 % 60, 2) + ":" + pad(milliseconds / 1000 % 60, 2) + "."
            + pad(milliseconds % 1000, 3) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = Int64((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0), month, day)
    }

    /// Reads the parts of a timestamp left to right.
    private struct Scanner {
        var bytes: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { bytes.isEmpty }
        var atEndIgnoringSpaces: Bool { bytes.allSatisfy { $0 == UInt8(ascii: " ") } }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard bytes.first == UInt8(ascii: character) else { return false }
            bytes.removeFirst()
            return true
        }

        mutating func number(digits: Int) -> Int? {
            guard bytes.count >= digits else { return nil }
            var value = 0
            for byte in bytes.prefix(digits) {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            bytes.removeFirst(digits)
            return value
        }

        mutating func fraction() -> Double? {
            var value = 0.0
            var scale = 0.1
            var count = 0
            while let byte = bytes.first, (48...57).contains(byte) {
                value += Double(byte - 48) * scale
                scale /= 10
                count += 1
                bytes.removeFirst()
            }
            return count > 0 ? value : nil
        }

        mutating func sign() -> Int? {
            if take("+") { return 1 }
            if take("-") { return -1 }
            return nil
        }
    }
}
