import BulkChange
import Foundation
import Testing

@Suite("DateCheck")
struct DateCheckTests {
    /// (input, seconds since 1970 UTC, has a time).
    static let dates: [(String, Double, Bool)] = [
        ("2026-12-01", 1_796_083_200, false),
        ("2024-02-29", 1_709_164_800, false),
        ("1970-01-01", 0, false),
        ("2026-12-01T10:00:00+01:00", 1_796_115_600, true),
        ("2026-12-01T09:00:00Z", 1_796_115_600, true),
        ("2026-12-01t09:00z", 1_796_115_600, true),
        ("2026-12-01T04:30:00-0430", 1_796_115_600, true),
        ("2026-12-01T11:00:00+02", 1_796_115_600, true),
        ("2026-12-01T09:00:00.250Z", 1_796_115_600.25, true),
    ]

    @Test(arguments: dates)
    func date(_ text: String, seconds: Double, hasTime: Bool) throws {
        let date = try DateCheck.parse(text)
        #expect(date == FieldDate(date: Date(timeIntervalSince1970: seconds), hasTime: hasTime))
    }

    /// (input, message).
    static let badDates: [(String, String)] = [
        ("12/01/2026", "not a date"),
        ("01.12.2026", "not a date"),
        ("2026/12/01", "not a date"),
        ("46357", "not a date"),
        ("2026-12-1", "not a date"),
        ("2026-12-01 10:00:00", "not a date"),
        ("2026-12-01T10:00", "the time has no UTC offset"),
        ("2026-12-01T10:00:00", "the time has no UTC offset"),
        ("2026-12-01T10:00:00+01:", "not a date"),
        ("2026-12-01T10:00:00CET", "not a date"),
        ("2026-13-01", "no such day"),
        ("2026-02-29", "no such day"),
        ("2026-04-31", "no such day"),
        ("2026-12-01T24:00:00Z", "no such time of day"),
        ("2026-12-01T10:60:00Z", "not a date"),
    ]

    @Test(arguments: badDates)
    func badDate(_ text: String, message: String) {
        #expect(throws: FieldProblem.self) { try DateCheck.parse(text) }
        #expect(catching(DateCheck.parse, text)?.message == message)
    }

    @Test func otherShapesSayWhatToUse() {
        #expect(catching(DateCheck.parse, "12/01/2026")?.hint?.hasPrefix("use YYYY-MM-DD") == true)
    }

    @Test func daysAheadCountsUTCDays() throws {
        #expect(try DateCheck.parse("2026-03-10").daysAhead(of: testNow) == 0)
        #expect(try DateCheck.parse("2026-03-11T00:30:00+01:00").daysAhead(of: testNow) == 0)
        #expect(try DateCheck.parse("2026-03-11").daysAhead(of: testNow) == 1)
        #expect(try DateCheck.parse("2026-03-09T23:59:59Z").daysAhead(of: testNow) == -1)
    }
}
