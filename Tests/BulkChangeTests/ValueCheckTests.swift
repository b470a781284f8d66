import BulkChange
import Foundation
import Testing

@Suite("DateCheck and ValueCheck")
struct ValueCheckTests {
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

    @Test(arguments: [("0", 0.0), ("250", 250), ("0.5", 0.5), ("1024.75", 1024.75)])
    func number(_ text: String, value: Double) throws {
        #expect(try ValueCheck.number(text) == value)
    }

    @Test(arguments: ["-1", "2,5", "1e3", ".5", "5.", "", "ten", "+3"])
    func notANumber(_ text: String) {
        #expect(catching(ValueCheck.number, text)?.message == "not a number of 0 or more")
    }

    @Test func integers() throws {
        #expect(try ValueCheck.integer("0090") == 90)
        for text in ["9.5", "-1", "99999999999999999999", "x"] {
            #expect(catching(ValueCheck.integer, text)?.message == "not a whole number")
        }
    }

    @Test(arguments: [
        ("true", true), ("TRUE", true), ("Yes", true), ("1", true), ("false", false), ("No", false), ("0", false),
    ])
    func boolean(_ text: String, value: Bool) throws {
        #expect(try ValueCheck.boolean(text) == value)
    }

    @Test func notABoolean() {
        #expect(catching(ValueCheck.boolean, "y")?.message == "not true or false")
    }

    @Test(arguments: [
        ("ACTIVATED", SIMStatus.activated), ("Activated", .activated), ("activation ready", .activationReady),
        ("Activation-Ready", .activationReady), ("activation__ready", .activationReady), ("test ready", .testReady),
    ])
    func status(_ text: String, status: SIMStatus) throws {
        #expect(try ValueCheck.status(text) == status)
    }

    @Test func notAStatus() {
        #expect(
            catching(ValueCheck.status, "ACTIVE")
                == FieldProblem(
                    "not a SIM status", hint: "use one of ACTIVATED, ACTIVATION_READY, DEACTIVATED, INVENTORY, RETIRED")
        )
    }

    /// The problem `check` throws for `text`, or `nil` when it accepts it.
    func catching<Value>(_ check: (String) throws(FieldProblem) -> Value, _ text: String) -> FieldProblem? {
        do {
            _ = try check(text)
            return nil
        } catch {
            return error
        }
    }
}
