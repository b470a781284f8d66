import CSV
import Foundation
import FoundationNetworking
import Store
import TestSupport
import Testing

/// A temp folder with a `bulkdrop sim` process, a configuration for it, `devices` devices in
/// tenant acme's inventory, and one bulk-change file for them in acme's inbox: the world of the
/// tests that run `bulkdrop run` as a real process.
final class ServiceWorld: Sendable {
    static let keyVariable = "BULKDROP_TEST_API_KEY"

    let folder: URL
    let simulator: ChildProcess
    let baseURL: String
    let devices: Int
    /// The dropped file's name without its extension.
    let stem: String
    /// What every `bulkdrop` process of the world gets in its environment: the API key, and the
    /// database password when there is one.
    let environment: [String: String]

    var config: String { folder.appendingPathComponent("config.json").path }
    var results: String { folder.appendingPathComponent("outbox/acme/\(stem).results.csv").path }
    var summary: String { folder.appendingPathComponent("outbox/acme/\(stem).summary.json").path }

    /// - Parameters:
    ///   - simulatorArguments: `bulkdrop sim` options besides the devices (latency, faults).
    ///   - settings: JSON members added to the configuration (`"requestTimeoutSeconds": 1`).
    ///   - providerSettings: JSON members added to the provider.
    ///   - statuses: the SIM status of device `index`, on the simulator and in the inventory.
    ///   - identities: each device also gets a username (`unit-N`) and an IMEI (`imei(N)`).
    ///   - file: the dropped file's name, header, and line for device `index`.
    ///   - environment: added to every process's environment (a database password).
    init(
        devices: Int, simulatorArguments: [String] = ["--latency-ms", "20"], settings: String = "",
        providerSettings: String = "\"callsPerSecond\": 1000", plans: (Int) -> String = { _ in "Plan A" },
        statuses: (Int) -> String = { _ in "ACTIVATED" }, identities: Bool = false,
        file: (name: String, header: String, line: (Int) -> String), environment: [String: String] = [:]
    ) async throws {
        self.devices = devices
        self.environment = environment.merging([Self.keyVariable: "demo-key"]) { $1 }
        stem = (file.name as NSString).deletingPathExtension
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-svc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var inventory = "iccid,status,ratePlan,communicationPlan" + (identities ? ",deviceID,imei\n" : "\n")
        var changes = file.header + "\n"
        for index in 0..<devices {
            inventory += "\(Self.iccid(index)),\(statuses(index)),\(plans(index)),Comm A"
            inventory += identities ? ",unit-\(index),\(Self.imei(index))\n" : "\n"
            changes += file.line(index) + "\n"
        }
        let devicesPath = folder.appendingPathComponent("devices.csv").path
        try inventory.write(toFile: devicesPath, atomically: true, encoding: .utf8)
        simulator = try ChildProcess(
            BinaryRunner.executable.path, ["sim", "--devices", devicesPath] + simulatorArguments, errorFile: nil)
        let line = try await simulator.line { $0.contains("listening on ") } ?? ""
        baseURL = String(line[(line.range(of: "listening on ")?.upperBound ?? line.endIndex)...])
        let configuration = """
            {"stateDirectory": "\(folder.path)/var", "inbox": "\(folder.path)/inbox",
             "outbox": "\(folder.path)/outbox", "tenants": ["acme"], "fanOutWidth": 8\(settings.isEmpty ? "" : ", " + settings),
             "serviceProviders": [{"name": "POD19", "baseURL": "\(baseURL)", "username": "demo",
               "apiKeyEnvironment": "\(Self.keyVariable)", "maxInFlight": 8, \(providerSettings)}]}
            """
        try configuration.write(toFile: config, atomically: true, encoding: .utf8)
        let imported = try await BinaryRunner.run(
            ["devices", "import", devicesPath, "--tenant", "acme", "--provider", "POD19", "--config", config],
            environment: self.environment)
        #expect(imported.status == 0, "\(imported.errors)")
        let synced = try await BinaryRunner.run(
            ["plans", "sync", "--provider", "POD19", "--config", config], environment: self.environment)
        #expect(synced.status == 0, "\(synced.errors)")
        let inbox = folder.appendingPathComponent("inbox/acme")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try changes.write(toFile: inbox.appendingPathComponent(file.name).path, atomically: true, encoding: .utf8)
    }

    /// 20 digits with a valid Luhn check digit.
    static func iccid(_ index: Int) -> String {
        withCheckDigit("8901260" + String(format: "%012d", index))
    }

    /// 15 digits with a valid Luhn check digit; `offset` gives another series.
    static func imei(_ index: Int, offset: Int = 0) -> String {
        withCheckDigit("35" + String(format: "%012d", offset + index))
    }

    /// `body` and its Luhn check digit.
    static func withCheckDigit(_ body: String) -> String {
        var sum = 0
        for (position, character) in body.reversed().enumerated() {
            var value = character.wholeNumberValue ?? 0
            if position % 2 == 0 { value = value * 2 > 9 ? value * 2 - 9 : value * 2 }
            sum += value
        }
        return body + String((10 - sum % 10) % 10)
    }

    /// `bulkdrop run` on the world, its standard error merged into the lines it reads.
    func service(_ extra: [String]) throws -> ChildProcess {
        try ChildProcess(
            BinaryRunner.executable.path,
            ["run", "--config", config, "--settle-seconds", "0", "--poll-seconds", "1", "--progress-seconds", "0"]
                + extra, environment: environment, errorFile: nil)
    }

    /// Runs `bulkdrop run --once` to its end.
    func runOnce() async throws {
        let run = try service(["--once"])
        #expect(try await run.line { $0.contains("event=stopped") } != nil)
        #expect(await run.exit().status == 0)
    }

    /// What the simulator's admin hook at `path` answers, decoded.
    func admin<Value: Decodable>(_ type: Value.Type, _ path: String) throws -> Value {
        let url = URL(string: baseURL.replacingOccurrences(of: "/rws/api/v1", with: "") + "/_sim/" + path)!
        return try JSONDecoder().decode(type, from: Data(contentsOf: url))
    }

    /// How many edits the simulator received for each device.
    func editsByDevice() throws -> [String: Int] {
        struct Counters: Decodable { var editsByDevice: [String: Int] }
        return try admin(Counters.self, "counters").editsByDevice
    }

    /// How many changes wait on the simulator for each device (future-dated or not applied yet).
    func scheduledByDevice() throws -> [String: Int] {
        try admin([String: Int].self, "scheduled")
    }

    /// A device's status on the simulator.
    func carrierStatus(_ iccid: String) throws -> String? {
        struct State: Decodable {
            struct Simulated: Decodable { var device: Device }
            struct Device: Decodable { var status: String? }
            var device: Simulated
        }
        return try admin(State.self, "devices/\(iccid)").device.device.status
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

    /// The results file's rows as (row, iccid, outcome, message).
    func resultRows() throws -> [(row: Int, iccid: String, outcome: String, message: String)] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: results)))
        return try CSVReader(bytes: bytes).readAll().dropFirst().map { record in
            (Int(record[0]) ?? 0, record[1], record[3], record[4])
        }
    }

    func finish() async {
        await simulator.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
