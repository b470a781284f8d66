import BuiltInSimulator
import BulkChange
import CSV
import Foundation
import JasperSim
import Pipeline

/// `bulkdrop bench validate`: `validate` (the dry run) of a status-update file of N rows against
/// an inventory of N devices, next to the CSV reader alone on the same file.
enum BenchValidateCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "validate"],
        summary: "Measure 'validate' on a status-update file of N rows against an inventory of N devices.",
        synopsis: "--rows N [--unknown-percent P]",
        options: [
            .init("--rows", value: "N", "rows in the file, and devices in the inventory (required)"),
            .init("--unknown-percent", value: "P", "rows naming a device the inventory lacks (default 1)"),
        ],
        details: """
            The inventory (tenant 'bench') is loaded into a temporary SQLite database and the file written
            first; a row's reason is a sentence, and about 5% of them hold quotes, a comma and a line break.
            Then the CSV reader reads the file alone (csv_seconds), and 'validate' runs on it
            (validate_seconds, and cpu_seconds on all threads; ratio is validate_seconds over csv_seconds). The peak memory is counted from the
            start of the validation, after the set-up's memory went back to the system.
            Build in release mode for meaningful figures: swift run -c release bulkdrop bench validate --rows 1000000.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let values = OptionValues(arguments, spec: spec)
        let count = try BenchMeasure.requiredCount("--rows", in: values, spec: spec)
        let unknownPercent = try values.integer("--unknown-percent", in: 0...100) ?? 1
        let folder = try BenchMeasure.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = PipelineConfiguration(
            stateDirectory: folder + "/var", inbox: folder + "/inbox", outbox: folder + "/outbox", tenants: ["bench"])
        let input = folder + "/status-update_bench.csv"
        let provider = configuration.serviceProviders[0].name
        let (report, csv, seconds, cpu) = try runBlocking {
            try await prepare(count: count, input: input, unknownPercent: unknownPercent, configuration: configuration)
            let workspace = try await Workspace.open(configuration)
            let csv = try BenchCSVCommand.read(input)
            BenchMeasure.resetPeakResident()
            let cpuBefore = BenchMeasure.cpuSeconds()
            let clock = ContinuousClock()
            let start = clock.now
            let report = try await BulkChangeRunner(workspace: workspace).run(
                path: input, tenant: "bench", options: RunOptions(provider: provider, dryRun: true))
            let elapsed = (clock.now - start).seconds
            let cpu = BenchMeasure.cpuSeconds() - cpuBefore
            await workspace.close()
            return (report, csv, elapsed, cpu)
        }
        let counts = [
            "VALID": report.summary.rows - report.summary.needingAttention, "REJECTED": report.summary.count(.rejected),
        ]
        console.output.write(
            "bench validate: rows=\(count) bytes=\(BenchMeasure.fileSize(input)) "
                + "csv_seconds=\(BenchMeasure.format(csv.seconds, 3)) validate_seconds=\(BenchMeasure.format(seconds, 3)) "
                + "ratio=\(BenchMeasure.format(seconds / csv.seconds, 1)) cpu_seconds=\(BenchMeasure.format(cpu, 3)) "
                + "peak_rss_MiB=\(BenchMeasure.peakResidentMiB()) "
                + counts.sorted { $0.key > $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n")
        return ExitStatus.success
    }

    /// Loads the inventory and writes the input file. The database is closed afterwards, as a
    /// service's would be between a nightly inventory load and a drop: its write-ahead log is then
    /// folded into the database file.
    private static func prepare(
        count: Int, input: String, unknownPercent: Int, configuration: PipelineConfiguration
    ) async throws {
        let workspace = try await Workspace.open(configuration)
        let devices = GeneratedDevices.make(count: count, seed: 9, accountId: "100", now: Date())
        try await workspace.loadInventory(devices, tenant: "bench", provider: configuration.serviceProviders[0].name)
        await workspace.close()
        try writeFile(input, devices: devices, unknownPercent: unknownPercent)
    }

    /// Writes a status-update file naming each device once, in order: ACTIVATED ones to
    /// DEACTIVATED, others to ACTIVATED; `unknownPercent` of the rows name an ICCID no device has.
    private static func writeFile(_ path: String, devices: [SimulatedDevice], unknownPercent: Int) throws {
        let writer = try CSVFileWriter(
            path: path, options: CSVWriter.Options(byteOrderMark: false, formulaProtection: false))
        try writer.write(["iccid", "target_status", "reason"])
        for (index, simulated) in devices.enumerated() {
            let target: SIMStatus = simulated.device.status == SIMStatus.activated.rawValue ? .deactivated : .activated
            var reason = "scheduled maintenance window for fleet unit \(index) in depot \(index % 97) north"
            if index % 20 == 7 { reason += ", see \"ticket \(index)\"\r\nfor the crew" }
            let iccid =
                index % 100 < unknownPercent ? BenchMeasure.iccid(devices.count + index) : simulated.device.iccid
            try writer.write([iccid, target.rawValue, reason])
        }
        try writer.close()
    }
}
