import BuiltInSimulator
import BulkChange
import Foundation
import Glibc
import JasperSim
import Pipeline
import Store

/// `bulkdrop bench workers`: one status-update file of N devices applied by 1, 2, 4… `bulkdrop
/// run` workers sharing one PostgreSQL database, against a simulator with latency and a rate limit.
enum BenchWorkersCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "workers"],
        summary: "Measure how devices/s grows with the number of workers on one PostgreSQL database.",
        synopsis: "--workers 1,2,4 --devices N --database URL [--latency-ms L] [--limit R] [--in-flight C]",
        options: [
            .init("--workers", value: "1,2,4", "worker counts to measure, one run each (required)"),
            .init("--devices", value: "N", "devices in the file (required)"),
            .init("--database", value: "URL", "an empty PostgreSQL database the runs may wipe (required)"),
            .init("--password-environment", value: "VAR", "the variable holding the database password"),
            .init("--latency-ms", value: "L", "simulator latency per call (default 50)"),
            .init(
                "--limit", value: "R", "the account's calls per second, on the simulator and configured (default 1000)"),
            .init("--in-flight", value: "C", "Control Center calls in flight per worker (default 4)"),
        ],
        details: """
            For each worker count the database is wiped (its public schema dropped and made again), a
            simulator process starts with the latency and the rate limit, the inventory is loaded, the
            workers start ('bulkdrop run', this executable), and the file is dropped into the inbox. The
            time runs from the drop to the results file. devices/s should grow with the workers until the
            account's limit; calls/s is what the simulator received, against that limit, and throttled the
            calls it refused for going over it.
            Build in release mode for meaningful figures: swift run -c release bulkdrop bench workers
            --workers 1,2,4 --devices 5000 --database postgresql://bulkdrop@localhost/bench --latency-ms 50.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let values = OptionValues(arguments, spec: spec)
        let count = try BenchMeasure.requiredCount("--devices", in: values, spec: spec)
        let workerCounts = try values.list("--workers").map { text in
            guard let number = Int(text), (1...64).contains(number) else {
                throw UsageError.invalidValue(
                    option: "--workers", value: text, expected: "worker counts from 1 to 64, such as 1,2,4",
                    command: spec.displayName)
            }
            return number
        }
        guard !workerCounts.isEmpty else {
            throw UsageError.missingArgument("--workers 1,2,4", command: spec.displayName)
        }
        guard let url = arguments.options["--database"] else {
            throw UsageError.missingArgument("--database URL", command: spec.displayName)
        }
        let bench = Bench(
            devices: count, latency: try values.integer("--latency-ms", in: 0...10_000) ?? 50,
            limit: try values.integer("--limit", in: 1...1_000_000) ?? 1000,
            inFlight: try values.integer("--in-flight", in: 1...1024) ?? 4,
            database: DatabaseSettings(url: url, passwordEnvironment: arguments.options["--password-environment"]))
        let folder = try BenchMeasure.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for workers in workerCounts {
            let round = try bench.measure(workers: workers, folder: folder + "/workers-\(workers)")
            console.output.write(
                "bench workers: workers=\(workers) devices=\(count) latency_ms=\(bench.latency) "
                    + "seconds=\(BenchMeasure.format(round.seconds, 3)) "
                    + "devices/s=\(Int(Double(count) / round.seconds)) "
                    + "calls/s=\(Int(Double(round.calls) / round.seconds)) limit=\(bench.limit) "
                    + "throttled=\(round.throttled)\n")
        }
        return ExitStatus.success
    }
}
