import BuiltInSimulator
import BulkChange
import Foundation
import Glibc
import JasperSim
import Pipeline

/// `bulkdrop bench e2e`: the whole pipeline (read, validate, store, fan-out, Jasper, outbox) on a
/// status-update file of N devices against the simulator in a child process.
enum BenchE2ECommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "e2e"],
        summary: "Measure the whole pipeline on a status-update file against a simulator process.",
        synopsis: "--devices N [--latency-ms L] [--concurrency C]",
        options: [
            .init("--devices", value: "N", "devices in the file (required)"),
            .init("--latency-ms", value: "L", "simulator latency per call (default 0)"),
            .init("--concurrency", value: "C", "Control Center calls in flight (default 32); 2×C devices in progress"),
        ],
        details: """
            The simulator runs as a child process ('bulkdrop sim'), so seconds, CPU and peak memory are
            BulkDrop's own; the peak is counted from the start of the run (after loading the inventory). No rate limit applies; the limiter keeps at most C calls in flight while 2×C
            devices are in progress, so a device waiting for the database does not hold a call slot.
            Build in release mode for meaningful figures: swift run -c release bulkdrop bench e2e --devices 10000.

            After the run the simulator's own counters (GET /_sim/counters) give calls_per_device: every API
            call it received (reads, edits, searches, throttled ones; not its /_sim/ hooks) divided by the
            devices, the budget being about 1; and throttled: the calls it answered 40000029.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let values = OptionValues(arguments, spec: spec)
        let count = try BenchMeasure.requiredCount("--devices", in: values, spec: spec)
        let latency = try values.integer("--latency-ms", in: 0...10_000) ?? 0
        let concurrency = try values.integer("--concurrency", in: 1...4096) ?? 32
        let folder = try BenchMeasure.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let simulator = try SimulatorProcess.start([
            "--generate", "\(count)", "--seed", "9", "--latency-ms", "\(latency)",
        ])
        defer { simulator.stop() }
        setenv(apiKeyVariable, SimulatorUser.demo.apiKey, 1)
        let configuration = PipelineConfiguration(
            stateDirectory: folder + "/var", inbox: folder + "/inbox", outbox: folder + "/outbox", tenants: ["bench"],
            serviceProviders: [
                ProviderSettings(
                    name: "POD19", baseURL: simulator.baseURL, username: SimulatorUser.demo.username,
                    apiKeyEnvironment: apiKeyVariable, callsPerSecond: 1_000_000_000, maxInFlight: concurrency)
            ],
            fanOutWidth: concurrency * 2)
        let input = folder + "/status-update_bench.csv"
        let (report, seconds, cpu) = try runBlocking {
            let workspace = try await Workspace.open(configuration)
            try await prepare(count: count, input: input, workspace: workspace)
            BenchMeasure.resetPeakResident()
            let cpuBefore = BenchMeasure.cpuSeconds()
            let clock = ContinuousClock()
            let start = clock.now
            let report = try await BulkChangeRunner(workspace: workspace).run(path: input, tenant: "bench")
            let elapsed = (clock.now - start).seconds
            let cpu = BenchMeasure.cpuSeconds() - cpuBefore
            await workspace.close()
            return (report, elapsed, cpu)
        }
        let peakMiB = BenchMeasure.peakResidentMiB()  // before the counters' HTTP client
        let counters = try simulator.counters()
        let counts = Outcome.allCases.map { "\($0.rawValue)=\(report.summary.count($0))" }.joined(separator: " ")
        console.output.write(
            "bench e2e: devices=\(count) latency_ms=\(latency) concurrency=\(concurrency) "
                + "seconds=\(BenchMeasure.format(seconds, 3)) devices/s=\(Int(Double(count) / seconds)) "
                + "cpu_s_per_1000=\(BenchMeasure.format(cpu / Double(count) * 1000, 3)) "
                + "peak_rss_MiB=\(peakMiB) "
                + "calls_per_device=\(BenchMeasure.format(Double(counters.totalCalls) / Double(count), 2)) "
                + "throttled=\(counters.throttledCalls) \(counts)\n")
        return report.summary.count(.failed) + report.summary.count(.rejected) == 0
            ? ExitStatus.success : ExitStatus.failure
    }

    static let apiKeyVariable = "BULKDROP_BENCH_API_KEY"

    /// Loads the simulator's devices (same seed) into the inventory and writes the input file.
    private static func prepare(count: Int, input: String, workspace: Workspace) async throws {
        let devices = GeneratedDevices.make(count: count, seed: 9, accountId: SimulatorUser.demo.accountId, now: Date())
        try await workspace.loadInventory(devices, tenant: "bench", provider: "POD19")
        try statusFile(devices).write(toFile: input, atomically: true, encoding: .utf8)
    }

    /// A status-update file that changes every device: ACTIVATED ones to DEACTIVATED, others to ACTIVATED.
    private static func statusFile(_ devices: [SimulatedDevice]) -> String {
        var text = "iccid,target_status\n"
        for simulated in devices {
            let target: SIMStatus = simulated.device.status == SIMStatus.activated.rawValue ? .deactivated : .activated
            text += "\(simulated.device.iccid),\(target.rawValue)\n"
        }
        return text
    }
}
