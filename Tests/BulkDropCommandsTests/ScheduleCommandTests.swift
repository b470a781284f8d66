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
        let world = try await ServiceWorld(
            devices: 2, simulatorArguments: ["--faults", faults.path],
            file: ("archival_unused.csv", "iccid", { ServiceWorld.iccid($0) }))
        // Due a few seconds after the file is applied; the processes read the real clock, so the
        // test waits for it to reach that time (nothing else is waited for).
        let due = Date().addingTimeInterval(8)
        let file = world.folder.appendingPathComponent("archival_later.csv").path
        let rows = (0..<2).map { "\(ServiceWorld.iccid($0)),\(due.formatted(Date.ISO8601FormatStyle())),yes\n" }
        try ("iccid,effective_date,override_usage_check\n" + rows.joined())
            .write(toFile: file, atomically: true, encoding: .utf8)
        let environment = [ServiceWorld.keyVariable: "demo-key"]
        let queued = try await BinaryRunner.run(
            ["process", file, "--tenant", "acme", "--config", world.config], environment: environment)
        #expect(queued.status == 0, "\(queued.errors)")
        #expect(queued.output.contains("2 SCHEDULED"), "\(queued.output)")
        #expect(try world.editsByDevice().isEmpty, "nothing sent before the date")

        try await Task.sleep(for: .seconds(max(0, due.timeIntervalSinceNow) + 0.5))
        let applied = try await BinaryRunner.run(["schedule", "--config", world.config], environment: environment)
        #expect(applied.status == 1, "\(applied.errors)")
        #expect(
            applied.output.hasPrefix("schedule: 2 queued changes applied: 1 PROCESSED, 1 FAILED\n"), "\(applied.output)"
        )
        #expect(applied.output.contains("archival_scheduled_"))
        let results = try String(
            contentsOf: world.folder.appendingPathComponent("outbox/acme/archival_later.results.csv"), encoding: .utf8)
        let lines = results.components(separatedBy: "\r\n")
        #expect(lines[1].contains(",FAILED,"), "the file's own results show the final outcome: \(results)")
        #expect(lines[2].contains(",PROCESSED,"), "\(results)")
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
