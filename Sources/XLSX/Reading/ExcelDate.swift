import CivilDate

/// Excel's dates: a serial number of days (with the time of day as the fraction) since
/// 1899-12-30, or since 1904-01-01 in workbooks that use the 1904 date system. Serial numbers
/// below 61 are one day off because Excel counts a 29 February 1900 that never was.
enum ExcelDate {
    /// The ISO 8601 text of `serial`: `2026-12-01`, or `2026-12-01T08:30:00Z` when it has a time
    /// of day (to the second). `nil` for a text that is no number or lies outside years 1–9999.
    static func text(serial: String, uses1904Dates: Bool) -> String? {
        guard let value = Double(serial), value.isFinite, value >= 0, value < 2_958_466 else { return nil }
        var days = value.rounded(.down)
        var seconds = ((value - days) * 86_400).rounded()
        if seconds >= 86_400 {
            days += 1
            seconds = 0
        }
        let epoch =
            uses1904Dates
            ? CivilDate.days(year: 1904, month: 1, day: 1) : CivilDate.days(year: 1899, month: 12, day: 30)
        let offset = !uses1904Dates && days < 61 ? Int64(days) + 1 : Int64(days)
        let (year, month, day) = CivilDate.date(days: epoch + offset)
        let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        guard seconds > 0 else { return date }
        let whole = Int(seconds)
        return date + "T" + pad(whole / 3600, 2) + ":" + pad(whole / 60 % 60, 2) + ":" + pad(whole % 60, 2) + "Z"
    }

    /// The serial number of a moment, counted in the 1900 date system (for writing).
    static func serial(secondsSince1970 seconds: Double) -> Double {
        let epochDays = Double(-CivilDate.days(year: 1899, month: 12, day: 30))
        return epochDays + seconds / 86_400
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
