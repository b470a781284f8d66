import BuiltInSimulator
import BulkChange
import Foundation
import Glibc
import JasperSim
import Pipeline
import Store

/// One `bench workers` set-up, measured once per worker count.
struct Bench {
    let devices: Int
    let latency: Int
    let limit: Int
    let inFlight: Int
    let database: DatabaseSettings

    /// What one round measured.
    struct Round {
        let seconds: Double
        let calls: Int
        let throttled: Int
    }

    static let apiKeyVariable = "BULKDROP_BENCH_API_KEY"

    /// Wipes the database, starts a simulator and `workers` workers, drops the file and times it.
    func measure(workers: Int, folder: String) throws -> Round {
        try FileManager.default.createDirectory(atPath: folder + "/inbox/bench", withIntermediateDirectories: true)
        let simulator = try SimulatorProcess.start([
            "--generate", "\(devices)", "--seed", "9", "--latency-ms", "\(latency)", "--rate-limit", "\(limit)",
        ])
        defer { simulator.stop() }
        setenv(Self.apiKeyVariable, SimulatorUser.demo.apiKey, 1)
        let configuration = PipelineConfiguration(
            stateDirectory: folder + "/var", inbox: folder + "/inbox", outbox: folder + "/outbox", tenants: ["bench"],
            serviceProviders: [
                ProviderSettings(
                    name: "POD19", baseURL: simulator.baseURL, username: SimulatorUser.demo.username,
                    apiKeyEnvironment: Self.apiKeyVariable, callsPerSecond: Double(limit), maxInFlight: inFlight)
            ],
            fanOutWidth: inFlight * 2, database: database)
        let configPath = folder + "/config.json"
        try JSONEncoder().encode(configuration).write(to: URL(fileURLWithPath: configPath))
        let file = try runBlocking { try await prepare(configuration) }
        let children = try (0..<workers).map { index in
            try startWorker(config: configPath, log: folder + "/worker-\(index).log")
        }
        defer {
            for child in children where child.isRunning { child.terminate() }
            for child in children { child.waitUntilExit() }
        }
        let dropped = folder + "/inbox/bench/status-update_bench.csv"
        let results = folder + "/outbox/bench/status-update_bench.results.csv"
        let clock = ContinuousClock()
        let start = clock.now
        try file.write(toFile: dropped, atomically: true, encoding: .utf8)
        while !FileManager.default.fileExists(atPath: results) {
            guard children.allSatisfy(\.isRunning) else { throw BenchWorkersError.workerEnded(folder: folder) }
            usleep(20_000)
        }
        let seconds = (clock.now - start).seconds
        let counters = try simulator.counters()
        return Round(seconds: seconds, calls: counters.totalCalls, throttled: counters.throttledCalls)
    }

    /// Wipes the database, loads the simulator's devices (same seed) into the inventory, and
    /// returns the file that changes every device's status.
    private func prepare(_ configuration: PipelineConfiguration) async throws -> String {
        let location = try configuration.storeLocation()
        let wipe = try await Store.open(location)
        try await wipe.write { connection in try connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        }
        await wipe.close()
        let workspace = try await Workspace.open(configuration)
        let simulated = GeneratedDevices.make(
            count: devices, seed: 9, accountId: SimulatorUser.demo.accountId, now: Date())
        try await workspace.loadInventory(simulated, tenant: "bench", provider: "POD19")
        await workspace.close()
        var text = "iccid,target_status\n"
        for device in simulated {
            let target: SIMStatus = device.device.status == SIMStatus.activated.rawValue ? .deactivated : .activated
            text += "\(device.device.iccid),\(target.rawValue)\n"
        }
        return text
    }

    /// `bulkdrop run` (this executable) on `config`, its output in `log`.
    private func startWorker(config: String, log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [
            "run", "--config", config, "--settle-seconds", "0", "--poll-seconds", "1", "--progress-seconds", "0",
        ]
        guard FileManager.default.createFile(atPath: log, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: log])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}

/// A worker of `bench workers` ended before the file was done.
enum BenchWorkersError: Error, CustomStringConvertible {
    case workerEnded(folder: String)

    var description: String {
        switch self {
        case .workerEnded(let folder):
            "a worker ended before the file was done; its log is worker-N.log in \(folder) (kept until bulkdrop exits)"
        }
    }
}
