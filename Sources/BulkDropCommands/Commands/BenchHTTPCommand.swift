import Foundation
import HTTP
import Jasper
import JasperSim
import Pipeline
import Synchronization

/// `bulkdrop bench http`: requests per second of the Jasper client against the in-process
/// simulator (no latency, no rate limit) at several concurrency levels.
enum BenchHTTPCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "http"],
        summary: "Measure Jasper client requests/s against the in-process simulator at concurrency 1, 8 and 64.",
        synopsis: "[--requests N] [--concurrency A,B,C]",
        options: [
            .init("--requests", value: "N", "GET /devices/{iccid} calls per level (default 5000)"),
            .init("--concurrency", value: "A,B", "concurrency levels (default 1,8,64)"),
        ],
        details: "Build in release mode for meaningful figures: swift run -c release bulkdrop bench http."
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let values = OptionValues(arguments, spec: spec)
        let requests = try values.integer("--requests", in: 1...10_000_000) ?? 5000
        let levels = try values.list("--concurrency").map { text throws(UsageError) in
            guard let level = Int(text), level > 0 else {
                throw UsageError.invalidValue(
                    option: "--concurrency", value: text, expected: "positive whole numbers", command: spec.displayName)
            }
            return level
        }
        let devices = GeneratedDevices.make(count: 100, seed: 1, accountId: "100", now: Date())
        let running = try JasperSimulator(devices: devices).start()
        defer { running.shutdown() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let iccids = devices.map(\.device.iccid)
        for level in levels.isEmpty ? [1, 8, 64] : levels {
            let client = running.demoClient(http: http, callsPerSecond: 1_000_000, maxInFlight: level, retry: .never)
            let failures = Atomic<Int>(0)
            let elapsed = try runBlocking {
                let clock = ContinuousClock()
                let start = clock.now
                await forEachConcurrently(count: requests, width: level) { index in
                    do {
                        _ = try await client.device(iccids[index % iccids.count])
                    } catch {
                        failures.add(1, ordering: .relaxed)
                    }
                }
                return clock.now - start
            }
            console.output.write(
                "bench http: concurrency=\(level) requests=\(requests) failures=\(failures.load(ordering: .relaxed)) "
                    + "seconds=\(BenchMeasure.format(elapsed.seconds, 3)) "
                    + "requests/s=\(Int(Double(requests) / elapsed.seconds))\n")
            console.output.flush()
        }
        let counters = running.simulator.counters
        console.output.write("bench http: simulator saw at most \(counters.maxConcurrentCalls) concurrent calls\n")
        return ExitStatus.success
    }
}
