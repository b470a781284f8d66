import Foundation
import TestSupport
import Testing

/// `bulkdrop run` as a real process against a `bulkdrop sim` process with latency: killed with
/// SIGKILL in the middle of a file and started again, or stopped with SIGTERM.
@Suite("bulkdrop run: stop, crash and resume", .serialized)
struct ServiceLifecycleTests {
    static let devices = 300
    /// 300 devices ACTIVATED on a simulator with 20 ms latency, and a file deactivating them all.
    static func world() async throws -> ServiceWorld {
        try await ServiceWorld(
            devices: devices,
            file: ("status-update_all.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
    }

    /// Once more with `--once`; then every row has exactly one PROCESSED result, every device was
    /// sent exactly one edit, and the API key is in no file the service wrote.
    static func resumeAndCheck(_ world: ServiceWorld) async throws {
        let again = try world.service(["--once"])
        #expect(try await again.line { $0.contains("event=resuming") } != nil)
        #expect(try await again.line { $0.contains("event=stopped") } != nil)
        #expect(await again.exit().status == 0)
        let lines = try String(contentsOfFile: world.results, encoding: .utf8).split(separator: "\r\n").dropFirst()
        #expect(lines.count == devices)
        #expect(lines.map { Int($0.split(separator: ",")[0]) ?? 0 } == Array(1...devices), "each row once, in order")
        #expect(lines.allSatisfy { $0.contains(",PROCESSED,") })
        let edits = try world.editsByDevice()
        #expect(edits.count == devices, "every device was edited")
        #expect(edits.filter { $0.value != 1 } == [:], "no device was edited twice")
        let scan = SecretScan(username: "demo", apiKey: "demo-key")
        for folder in ["var", "outbox"] {
            #expect(try scan.leaks(under: world.folder.appendingPathComponent(folder).path) == [])
        }
        let status = try await BinaryRunner.run(["status", "--config", world.config])
        #expect(status.output.contains("PROCESSED (\(devices) PROCESSED)"), "\(status.output)")
    }

    @Test func sigkillMidFileThenRestartFinishesEveryRowOnce() async throws {
        let world = try await Self.world()
        let service = try world.service([])
        let progress = try await service.line { line in
            guard line.contains("event=progress"),
                let done = line.split(separator: " ").first(where: { $0.hasPrefix("done=") })
            else { return false }
            return (Int(done.dropFirst(5)) ?? 0) >= 40
        }
        #expect(progress != nil)
        service.send(SIGKILL)
        #expect(await service.exit().bySignal)
        #expect(!FileManager.default.fileExists(atPath: world.results), "killed before the end")
        try await Self.resumeAndCheck(world)
        await world.finish()
    }

    @Test func sigtermFinishesInFlightCallsAndExitsZero() async throws {
        let world = try await Self.world()
        let service = try world.service([])
        _ = try await service.line { $0.contains("event=progress") }
        service.send(SIGTERM)
        #expect(try await service.line { $0.contains("event=stopped") } != nil)
        #expect(await service.exit().status == 0)
        // Every edit that went out before the exit has its outcome recorded, and nothing is left in flight.
        let statuses = try await world.rowStatuses()
        let sent = try world.editsByDevice().values.reduce(0, +)
        #expect(sent > 0)
        #expect(!statuses.contains("PROCESSING"), "no call left in flight")
        let recorded = statuses.filter { $0 == "PROCESSED" || $0 == "AWAITING_CONFIRMATION" }.count
        #expect(recorded == sent, "each edit sent was recorded before the exit")
        #expect(statuses.filter { $0 == "PENDING" }.count == Self.devices - sent, "the rest waits for the next start")
        try await Self.resumeAndCheck(world)
        await world.finish()
    }
}
