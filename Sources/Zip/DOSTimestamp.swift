import Foundation

/// A moment as a zip header stores it: an MS-DOS date and time, to two seconds, in UTC here (the
/// format has no time zone).
struct DOSTimestamp {
    let date: UInt16
    let time: UInt16

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    /// `moment` in UTC, clamped to the years the format holds (1980–2107).
    init(_ moment: Date) {
        let parts = Self.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: moment)
        let year = parts.year ?? 1980
        if year < 1980 {
            (date, time) = (Self.date(1980, 1, 1), Self.time(0, 0, 0))
        } else if year > 2107 {
            (date, time) = (Self.date(2107, 12, 31), Self.time(23, 59, 58))
        } else {
            date = Self.date(year, parts.month ?? 1, parts.day ?? 1)
            time = Self.time(parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        }
    }

    /// Years since 1980 in 7 bits, month in 4, day in 5.
    private static func date(_ year: Int, _ month: Int, _ day: Int) -> UInt16 {
        UInt16(year - 1980) << 9 | UInt16(month) << 5 | UInt16(day)
    }

    /// Hour in 5 bits, minute in 6, seconds halved in 5.
    private static func time(_ hour: Int, _ minute: Int, _ second: Int) -> UInt16 {
        UInt16(hour) << 11 | UInt16(minute) << 5 | UInt16(second / 2)
    }
}
