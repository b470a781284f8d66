import BulkChange
import CSV
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
        let count = try BenchMeasure.requiredCount("--rows", in: OptionValues(arguments, spec: spec), spec: spec)
        let folder = try BenchMeasure.scratchFolder()
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

/// `bulkdrop bench xlsx-write`: writing the outbox files of an N-row file, the workbook among them.
enum BenchXLSXWriteCommand: Command {
    static let spec = CommandSpec(
        path: ["bench", "xlsx-write"],
        summary: "Measure writing the outbox files of an N-row file, the results workbook among them.",
        synopsis: "--rows N",
        options: [.init("--rows", value: "N", "result rows (required); one in a hundred is REJECTED")],
        details: """
            The rows are made 4,096 at a time and written as 'process' writes them: the results CSV and the
            Results sheet of <stem>.results.xlsx as they come, then the errors CSV copied onto the Errors
            sheet, and the Summary. seconds and the peak memory cover all of it.
            Build in release mode for meaningful figures: swift run -c release bulkdrop bench xlsx-write --rows 1000000.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let count = try BenchMeasure.requiredCount("--rows", in: OptionValues(arguments, spec: spec), spec: spec)
        let folder = try BenchMeasure.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        BenchMeasure.resetPeakResident()
        let clock = ContinuousClock()
        let start = clock.now
        let now = Date()
        let stream = try OutboxStream(
            writer: OutboxWriter(root: folder), tenant: "bench", stem: "status-update_bench",
            inputColumns: ["iccid", "target_status"])
        var tally = ResultTally()
        for chunk in stride(from: 0, to: count, by: 4096) {
            var rows: [ResultRow] = []
            var inputs: [Int: [String]] = [:]
            for index in chunk..<min(chunk + 4096, count) {
                let iccid = BenchMeasure.iccid(index)
                if index % 100 == 99 {
                    rows.append(
                        ResultRow(
                            row: index + 1, iccid: iccid, changeType: .statusUpdate, outcome: .rejected,
                            message: "target_status \"SOON\": not a SIM status"))
                    inputs[index + 1] = [iccid, "SOON"]
                } else {
                    rows.append(
                        ResultRow(
                            row: index + 1, iccid: iccid, changeType: .statusUpdate, outcome: .processed,
                            message: "status changed", oldValue: "ACTIVATED", newValue: "DEACTIVATED", processedAt: now)
                    )
                }
            }
            try stream.append(rows, inputValues: inputs)
            tally.add(rows)
        }
        let summary = RunSummary(
            bulkChangeID: 1, tenant: "bench", serviceProvider: "POD19", changeType: .statusUpdate,
            sourceFile: "status-update_bench.csv", status: "COMPLETED_WITH_ERRORS", tally: tally, startedAt: now,
            finishedAt: Date(), warnings: [])
        let paths = try stream.finish(summary)
        let seconds = (clock.now - start).seconds
        console.output.write(
            "bench xlsx-write: rows=\(count) workbook_bytes=\(BenchMeasure.fileSize(paths.workbook)) "
                + "csv_bytes=\(BenchMeasure.fileSize(paths.results) + BenchMeasure.fileSize(paths.errors)) "
                + "seconds=\(BenchMeasure.format(seconds, 3)) rows/s=\(Int(Double(count) / seconds)) "
                + "peak_rss_MiB=\(BenchMeasure.peakResidentMiB())\n")
        return ExitStatus.success
    }
}
