import Foundation
import Testing

/// `bulkdrop schedule` as a real process: a future-dated archival file queued by `process`, then
/// applied by `schedule` once due; a row Control Center refuses makes the exit status 1 and one
/// email, and the file's own results show the final outcomes.
@Suite("bulkdrop schedule")
struct ScheduleCommandTests {
    @Test func aFailedScheduledRowExitsOneWithOneEmailAndTheFilesResultsUpdated() async throws {
        let faults = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString).json")
        try #"{"deviceFaults": {"\#(ServiceWorld.iccid(0))": {"kind": "refuse"}}}"#.write(
            to: faults, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: faults) }
        // Due a few seconds from now: the date is the only thing waited for (the wall clock reaching it).
        let due = Date().addingTimeInterval(6)
        let dueText = due.formatted(Date.ISO8601FormatStyle())
        let world = try await ServiceWorld(
            devices: 2, simulatorArguments: ["--faults", faults.path],
            file: (
                "archival_later.csv", "iccid,effective_date,override_usage_check",
                { "\(ServiceWorld.iccid($0)),\(dueText),yes" }
            ))
        let environment = [ServiceWorld.keyVariable: "demo-key"]
        let file = world.folder.appendingPathComponent("inbox/acme/archival_later.csv").path
        let queued = try await BinaryRunner.run(
            ["process", file, "--tenant", "acme", "--config", world.config], environment: environment)
        #expect(queued.status == 0, "\(queued.errors)")
        #expect(queued.output.contains("2 SCHEDULED"), "\(queued.output)")
        #expect(try world.editsByDevice().isEmpty, "nothing sent before the date")

        try await Task.sleep(for: .seconds(max(0, due.timeIntervalSinceNow) + 1))
        let applied = try await BinaryRunner.run(["schedule", "--config", world.config], environment: environment)
        #expect(applied.status == 1, "\(applied.errors)")
        #expect(
            applied.output.hasPrefix("schedule: 2 queued changes applied: 1 PROCESSED, 1 FAILED\n"), "\(applied.output)"
        )
        #expect(applied.output.contains("archival_scheduled_"))
        let rows = try world.resultRows()
        #expect(rows.map(\.outcome) == ["FAILED", "PROCESSED"], "the file's own results show the final outcome")
        #expect(try world.carrierStatus(ServiceWorld.iccid(1)) == "DEACTIVATED")
        let mail = world.folder.appendingPathComponent("var/mail")
        let emails = try FileManager.default.contentsOfDirectory(atPath: mail.path).filter { $0.hasSuffix(".eml") }
        #expect(emails.count == 1)
        let email = try String(contentsOf: mail.appendingPathComponent(emails.first ?? ""), encoding: .utf8)
        #expect(email.contains("1 scheduled change failed"))

        let again = try await BinaryRunner.run(["schedule", "--config", world.config], environment: environment)
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output == "schedule: 0 queued changes applied\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: mail.path).filter { $0.hasSuffix(".eml") }.count == 1)
        await world.finish()
    }
}
