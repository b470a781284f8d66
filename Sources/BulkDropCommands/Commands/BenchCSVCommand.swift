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
        let reading: Reading
        do {
            reading = try read(path, options: options)
        } catch {
            console.report(error, in: path)
            return ExitStatus.usageOrInput
        }
        let bytes = BenchMeasure.fileSize(path)
        let seconds = reading.seconds
        console.output.write(
            "bulkdrop-csv: bytes=\(bytes) records=\(reading.records) fields=\(reading.fields) "
                + "seconds=\(BenchMeasure.format(seconds, 3)) MB/s=\(BenchMeasure.format(Double(bytes) / seconds / 1e6, 1)) "
                + "records/s=\(Int(Double(reading.records) / seconds)) peak_rss_MiB=\(BenchMeasure.peakResidentMiB())\n"
        )
        return ExitStatus.success
    }

    /// What one read of a file counted, and how long it took.
    struct Reading {
        var records = 0
        var fields = 0
        var seconds = 0.0
    }

    /// Reads the CSV file at `path` end to end, counting its records and fields.
    ///
    /// - Throws: `CSVError` when the file cannot be opened or is not CSV.
    static func read(_ path: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) -> Reading {
        let clock = ContinuousClock()
        let started = clock.now
        var reading = Reading()
        let reader = try CSVReader(path: path, options: options)
        var record = CSVRecord()
        while try reader.readRecord(into: &record) {
            reading.records += 1
            reading.fields += record.count
        }
        reading.seconds = (clock.now - started).seconds
        return reading
    }
}
