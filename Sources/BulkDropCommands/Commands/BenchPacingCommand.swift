import Foundation
import HTTP
import Jasper
import JasperSim
import Pipeline
import Synchronization

/// `bulkdrop bench pacing`: edits N devices through the rate limiter against a simulator that
/// enforces its own limit, and reports time, achieved rate and throttled calls.
enum BenchPacingCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "pacing"],
        summary: "Measure rate-limit pacing: N edits with the client at one limit, the simulator at another.",
        synopsis: "[--edits N] [--server-limit N] [--client-limit N] [--in-flight N]",
        options: [
            .init("--edits", value: "N", "PUT /devices/{iccid} calls (default 2000)"),
            .init("--server-limit", value: "N", "simulator calls per second per account (default 50)"),
            .init("--client-limit", value: "N", "client rate limiter, calls per second (default 50)"),
            .init("--in-flight", value: "N", "client calls in flight at most (default 8)"),
        ],
        details: """
            Two lines of figures after the run:
              seconds, succeeded, failed, calls (throttled ones included), throttled, throttled_share (of the
              calls), achieved (successful edits per second over the run), and settled_after_s: the first
              whole second from which every following one stays within ±10 % of the lower of the two limits
              (the server's when the client asks for more), "never" when the last one does not;
              per_second: the successful edits in each whole second of the run (the last, partial second is
              left out; at most 60 are shown).
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let values = OptionValues(arguments, spec: spec)
        let edits = try values.integer("--edits", in: 1...1_000_000) ?? 2000
        let serverLimit = try values.integer("--server-limit", in: 1...100_000) ?? 50
        let clientLimit = try values.integer("--client-limit", in: 1...100_000) ?? 50
        let inFlight = try values.integer("--in-flight", in: 1...1024) ?? 8

        let devices = GeneratedDevices.make(count: edits, seed: 2, accountId: "100", now: Date())
        let running = try JasperSimulator(
            configuration: SimulatorConfiguration(rateLimit: serverLimit), devices: devices
        ).start()
        defer { running.shutdown() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = running.demoClient(http: http, callsPerSecond: Double(clientLimit), maxInFlight: inFlight)
        let failures = Atomic<Int>(0)
        let series = Mutex(PacingSeries())
        console.output.write(
            "bench pacing: \(edits) edits, client \(clientLimit)/s, server \(serverLimit)/s, \(inFlight) in flight\n")
        console.output.flush()
        let elapsed = try runBlocking {
            let clock = ContinuousClock()
            let start = clock.now
            await forEachConcurrently(count: edits, width: inFlight * 2) { index in
                do {
                    _ = try await client.editDevice(devices[index].device.iccid, DeviceEdit(deviceID: "paced-\(index)"))
                    let finished = clock.now - start
                    series.withLock { $0.record(at: finished) }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
            return clock.now - start
        }
        let counters = running.simulator.counters
        let calls = counters.total("PUT /devices/{iccid}")
        let succeeded = edits - failures.load(ordering: .relaxed)
        let windows = series.withLock { $0.fullSeconds(of: elapsed) }
        let settled = PacingSeries.settledAfter(windows, target: min(clientLimit, serverLimit)).map(String.init)
        console.output.write(
            "bench pacing: seconds=\(BenchMeasure.format(elapsed.seconds, 1)) succeeded=\(succeeded) "
                + "failed=\(failures.load(ordering: .relaxed)) calls=\(calls) throttled=\(counters.throttledCalls) "
                + "throttled_share=\(BenchMeasure.format(100 * Double(counters.throttledCalls) / Double(max(calls, 1)), 1))% "
                + "achieved=\(BenchMeasure.format(Double(succeeded) / elapsed.seconds, 1))/s "
                + "settled_after_s=\(settled ?? "never")\n"
                + "bench pacing: per_second=\(PacingSeries.text(windows))\n")
        return ExitStatus.success
    }
}
