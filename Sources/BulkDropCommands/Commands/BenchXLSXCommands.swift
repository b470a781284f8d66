import BulkChange
import CSV
import CivilDate
import Foundation
import Pipeline
import XLSX

/// `bulkdrop bench xlsx-read`: reading a status-update workbook of N rows as input rows.
enum BenchXLSXReadCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "xlsx-read"],
        summary: "Measure reading a status-update .xlsx workbook of N rows as input rows.",
        synopsis: "--rows N",
        options: [.init("--rows", value: "N", "rows in the workbook (required)")],
        details: """
            The workbook is written first (by BulkDrop's own writer: inline strings, one sheet), then read
            the way 'process' reads a dropped workbook: unzipped, parsed and mapped onto the change type's
            columns row by row. The peak memory is counted from the start of the read.
            Build in release mode for meaningful figures: swift run -c release bulkdrop bench xlsx-read --rows 100000.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let count = try BenchXLSX.rows(arguments, spec: spec)
        let folder = try BenchXLSX.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/status-update_bench.xlsx"
        let workbook = try WorkbookWriter(path: path, modified: Date())
        try workbook.beginSheet(
            "status-update",
            columns: [
                SheetColumn("iccid", width: 24), SheetColumn("target_status", width: 16),
                SheetColumn("reason", width: 40),
            ])
        for index in 0..<count {
            try workbook.append([
                .text(BenchMeasure.iccid(index)), .text(index.isMultiple(of: 2) ? "ACTIVATED" : "DEACTIVATED"),
                .text("scheduled maintenance window for fleet unit \(index)"),
            ])
        }
        try workbook.endSheet()
        try workbook.finish()
        BenchMeasure.resetPeakResident()
        let clock = ContinuousClock()
        let start = clock.now
        let reader = try InputRowReader.open(path: path)
        var rows = 0
        while case let chunk = try reader.next(upTo: 4096), !chunk.isEmpty { rows += chunk.count }
        let seconds = (clock.now - start).seconds
        console.output.write(
            "bench xlsx-read: rows=\(rows) bytes=\(BenchMeasure.fileSize(path)) seconds=\(BenchMeasure.format(seconds, 3)) "
                + "rows/s=\(Int(Double(rows) / seconds)) peak_rss_MiB=\(BenchMeasure.peakResidentMiB())\n")
        return rows == count ? ExitStatus.success : ExitStatus.failure
    }
}

/// `bulkdrop bench xlsx-write`: writing the results workbook of an N-row file.
enum BenchXLSXWriteCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "xlsx-write"],
        summary: "Measure writing the results workbook (<stem>.results.xlsx) of an N-row file.",
        synopsis: "--rows N",
        options: [.init("--rows", value: "N", "result rows (required); one in a hundred also goes to Errors")],
        details: """
            The results and errors CSV files are written first, as 'process' writes them; then the workbook
            is made from them as 'process' makes it (Results, Errors, Summary). The peak memory is counted
            from the start of the workbook.
            Build in release mode for meaningful figures: swift run -c release bulkdrop bench xlsx-write --rows 1000000.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let count = try BenchXLSX.rows(arguments, spec: spec)
        let folder = try BenchXLSX.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let results = try CSVFileWriter(path: folder + "/bench.results.csv")
        let errors = try CSVFileWriter(path: folder + "/bench.errors.csv")
        try results.write(OutboxWriter.resultColumns)
        try errors.write(["iccid", "target_status", "error"])
        let processedAt = UTCTimestamp.text(Date())
        for index in 0..<count {
            let rejected = index % 100 == 99
            let iccid = BenchMeasure.iccid(index)
            try results.write([
                String(index + 1), iccid, "status-update", rejected ? "REJECTED" : "PROCESSED",
                rejected ? "target_status \"SOON\": not a SIM status" : "status changed", rejected ? "" : "ACTIVATED",
                rejected ? "" : "DEACTIVATED", rejected ? "" : processedAt,
            ])
            if rejected { try errors.write([iccid, "SOON", "target_status \"SOON\": not a SIM status"]) }
        }
        try results.close()
        try errors.close()
        let summary = RunSummary(
            bulkChangeID: 1, tenant: "bench", serviceProvider: "POD19", changeType: .statusUpdate,
            sourceFile: "bench.csv", status: "DONE", tally: ResultTally(), startedAt: Date(), finishedAt: Date(),
            warnings: [])
        BenchMeasure.resetPeakResident()
        let clock = ContinuousClock()
        let start = clock.now
        let path = folder + "/bench.results.xlsx"
        try ResultWorkbook.write(
            results: folder + "/bench.results.csv", errors: folder + "/bench.errors.csv", errorColumns: [],
            summary: summary, to: path)
        let seconds = (clock.now - start).seconds
        console.output.write(
            "bench xlsx-write: rows=\(count) bytes=\(BenchMeasure.fileSize(path)) seconds=\(BenchMeasure.format(seconds, 3)) "
                + "rows/s=\(Int(Double(count) / seconds)) peak_rss_MiB=\(BenchMeasure.peakResidentMiB())\n")
        return ExitStatus.success
    }
}

/// What the two workbook benchmarks share.
enum BenchXLSX {
    static func rows(_ arguments: ParsedArguments, spec: CommandSpec) throws -> Int {
        guard let count = try OptionValues(arguments, spec: spec).integer("--rows", in: 1...10_000_000) else {
            throw UsageError.missingArgument("--rows N", command: spec.displayName)
        }
        return count
    }

    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
