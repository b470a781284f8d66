import CSV
import Glibc
import Pipeline

/// `bulkdrop bench csv FILE`: how fast the CSV reader goes on a real file, and in how much memory.
enum BenchCSVCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "csv"],
        summary: "Read a CSV file end to end, counting records and fields; print bytes/s, records/s and peak memory.",
        synopsis: "FILE [--delimiter C]",
        positionals: ["FILE"],
        options: [DelimiterOption.option],
        details: """
            Build in release mode for meaningful figures: swift run -c release bulkdrop bench csv FILE.
            scripts/bench/compare-csv.sh runs it next to the Rust csv crate on the same file.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        #if DEBUG
            console.warning("this is a debug build; run with -c release for meaningful figures")
        #endif
        let path = arguments.positionals[0]
        let options = CSVReadOptions(delimiter: try DelimiterOption.value(in: arguments, command: spec))
        let clock = ContinuousClock()
        let started = clock.now
        var records = 0
        var fields = 0
        do {
            let reader = try CSVReader(path: path, options: options)
            var record = CSVRecord()
            while try reader.readRecord(into: &record) {
                records += 1
                fields += record.count
            }
        } catch {
            console.report(error, in: path)
            return ExitStatus.usageOrInput
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let bytes = fileSize(path)
        console.output.write(
            "bulkdrop-csv: bytes=\(bytes) records=\(records) fields=\(fields) seconds=\(format(seconds, 3)) "
                + "MB/s=\(format(Double(bytes) / seconds / 1e6, 1)) records/s=\(Int(Double(records) / seconds)) "
                + "peak_rss_MiB=\(format(Double(peakResidentKiB()) / 1024, 1))\n")
        return ExitStatus.success
    }

    private static func fileSize(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }

    /// The process's peak resident memory in KiB: `VmHWM` from `/proc/self/status`.
    ///
    /// Not `getrusage`: its maximum survives `exec`, so under `swift run` it reports the
    /// memory of the build tool that started us.
    static func peakResidentKiB() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmHWM:") {
                return Int(text.dropFirst(6).filter(\.isNumber)) ?? 0
            }
        }
        return 0
    }

    /// `value` with exactly `decimals` digits after the point.
    static func format(_ value: Double, _ decimals: Int) -> String {
        precondition(decimals > 0, "format needs at least one decimal")
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * Double(scale)).rounded())
        let fraction = String(scaled % scale)
        return "\(scaled / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
