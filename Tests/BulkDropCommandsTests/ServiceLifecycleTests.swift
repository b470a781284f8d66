import Foundation
import FoundationNetworking
import Store
import TestSupport
import Testing

/// `bulkdrop run` as a real process against a `bulkdrop sim` process with latency: killed with
/// SIGKILL in the middle of a file and started again, or stopped with SIGTERM.
@Suite("bulkdrop run: stop, crash and resume", .serialized)
struct ServiceLifecycleTests {
    static let devices = 300
    static let keyVariable = "BULKDROP_TEST_API_KEY"

    /// A temp folder with a simulator process, a configuration for it, the devices in tenant acme's
    /// inventory and a status-update file for all of them in acme's inbox.
    final class World: Sendable {
        let folder: URL
        let simulator: ChildProcess
        var config: String { folder.appendingPathComponent("config.json").path }
        var results: String { folder.appendingPathComponent("outbox/acme/status-update_all.results.csv").path }
        let baseURL: String

        init() async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-svc-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var devices = "iccid,status,ratePlan,communicationPlan\n"
            var changes = "iccid,target_status\n"
            for index in 0..<ServiceLifecycleTests.devices {
                let iccid = Self.iccid(index)
                devices += "\(iccid),ACTIVATED,Plan A,Comm A\n"
                changes += "\(iccid),DEACTIVATED\n"
            }
            let devicesPath = folder.appendingPathComponent("devices.csv").path
            try devices.write(toFile: devicesPath, atomically: true, encoding: .utf8)
            simulator = try ChildProcess(
                BinaryRunner.executable.path, ["sim", "--devices", devicesPath, "--latency-ms", "20"], errorFile: nil)
            let line = try await simulator.line { $0.contains("listening on ") } ?? ""
            baseURL = String(line[(line.range(of: "listening on ")?.upperBound ?? line.endIndex)...])
            let configuration = """
                {"stateDirectory": "\(folder.path)/var", "inbox": "\(folder.path)/inbox",
                 "outbox": "\(folder.path)/outbox", "tenants": ["acme"], "fanOutWidth": 8,
                 "serviceProviders": [{"name": "POD19", "baseURL": "\(baseURL)", "username": "demo",
                   "apiKeyEnvironment": "\(ServiceLifecycleTests.keyVariable)", "callsPerSecond": 1000,
                   "maxInFlight": 8}]}
                """
            try configuration.write(toFile: config, atomically: true, encoding: .utf8)
            let imported = try await BinaryRunner.run(
                ["devices", "import", devicesPath, "--tenant", "acme", "--provider", "POD19", "--config", config])
            #expect(imported.status == 0, "\(imported.errors)")
            let inbox = folder.appendingPathComponent("inbox/acme")
            try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
            try changes.write(
                toFile: inbox.appendingPathComponent("status-update_all.csv").path, atomically: true, encoding: .utf8)
        }

        /// 20 digits with a valid Luhn check digit.
        static func iccid(_ index: Int) -> String {
            let body = "8901260" + String(format: "%012d", index)
            var sum = 0
            for (position, character) in body.reversed().enumerated() {
                var value = character.wholeNumberValue ?? 0
                if position % 2 == 0 { value = value * 2 > 9 ? value * 2 - 9 : value * 2 }
                sum += value
            }
            return body + String((10 - sum % 10) % 10)
        }

        func service(_ extra: [String]) throws -> ChildProcess {
            try ChildProcess(
                BinaryRunner.executable.path,
                ["run", "--config", config, "--settle-seconds", "0", "--poll-seconds", "1", "--progress-seconds", "0"]
                    + extra, environment: [ServiceLifecycleTests.keyVariable: "demo-key"], errorFile: nil)
        }

        /// How many edits the simulator received for each device, as its admin hook counts them.
        func editsByDevice() throws -> [String: Int] {
            struct Counters: Decodable { var editsByDevice: [String: Int] }
            let url = URL(string: baseURL.replacingOccurrences(of: "/rws/api/v1", with: "") + "/_sim/counters")!
            return try JSONDecoder().decode(Counters.self, from: Data(contentsOf: url)).editsByDevice
        }

        /// The status of every row of every bulk change, read from the service's database.
        func rowStatuses() async throws -> [String] {
            let store = try await Store.open(at: folder.appendingPathComponent("var/bulkdrop.sqlite").path)
            let statuses = try await store.read { connection in
                try connection.recentBulkChanges(limit: 10).flatMap { change in
                    try connection.details(bulkChangeID: change.id, withRequests: false).map(\.status)
                }
            }
            await store.close()
            return statuses
        }

        func finish() async {
            await simulator.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Once more with `--once`; then every row has exactly one PROCESSED result, every device was
    /// sent exactly one edit, and the API key is in no file the service wrote.
    static func resumeAndCheck(_ world: World) async throws {
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
        let world = try await World()
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
        let world = try await World()
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
