import BulkChange
import CSV
import CivilDate
import Foundation
import XLSX

/// `<stem>.results.xlsx`: the results, the rows to fix and the summary of one input file as a
/// workbook for the people who double-click it. Written from the results and errors CSV files
/// just finished (the machines' copy), row by row, so memory stays flat in the size of the file.
///
/// - Results: row numbers as numbers, ICCIDs and every other value as text, `processed_at` as a
///   date and time, the outcome cell filled by outcome (green done, red to fix, amber not yet
///   settled, grey nothing to do).
/// - Errors: the input columns plus `error`, all text; fixed in Excel, the workbook can be
///   dropped again as it is (the reader prefers this sheet to the results).
/// - Summary: the bulk change, tenant, counts and times.
///
/// Every sheet has a bold, frozen header; Results and Errors an autofilter.
public enum ResultWorkbook {
    /// Writes the workbook to `path`, atomically.
    ///
    /// - Parameters:
    ///   - results: the finished results CSV file.
    ///   - errors: the finished errors CSV file, or `nil` when no row needs attention.
    ///   - errorColumns: the Errors sheet's header when there is no errors file.
    /// - Throws: `OutboxError` when a file cannot be read or the workbook written.
    public static func write(
        results: String, errors: String?, errorColumns: [String], summary: RunSummary, to path: String
    ) throws(OutboxError) {
        let temporary = try AtomicFile.temporaryPath(for: path)
        do {
            let workbook = try WorkbookWriter(path: temporary, modified: summary.finishedAt)
            try copy(results, into: workbook, sheet: "Results", columns: resultColumns) { index, text in
                resultCell(column: index, text: text)
            }
            if let errors {
                try copy(errors, into: workbook, sheet: "Errors", columns: { $0.map(errorColumn) }) { _, text in
                    .text(text)
                }
            } else {
                try workbook.beginSheet("Errors", columns: errorColumns.map(errorColumn), autoFilter: true)
                try workbook.endSheet()
            }
            try writeSummary(summary, into: workbook)
            try workbook.finish()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .unwritable(path: path, reason: "\(error)")
        }
        try AtomicFile.commit(temporary, to: path)
    }

    /// Copies the CSV file at `path` (header first) onto a new sheet, each cell through `cell`.
    private static func copy(
        _ path: String, into workbook: WorkbookWriter, sheet: String, columns: ([String]) -> [SheetColumn],
        cell: (Int, String) -> OutputCell
    ) throws {
        let reader = try CSVReader(path: path)
        guard let header = try reader.next() else { return }
        try workbook.beginSheet(sheet, columns: columns(Array(header)), autoFilter: true)
        var record = CSVRecord()
        while try reader.readRecord(into: &record) {
            try workbook.append(record.enumerated().map { index, text in cell(index, CSVWriter.unguarded(text)) })
        }
        try workbook.endSheet()
    }

    private static func resultColumns(_ names: [String]) -> [SheetColumn] {
        let widths: [String: Double] = [
            "row": 8, "iccid": 24, "change_type": 20, "outcome": 24, "message": 70, "old_value": 24, "new_value": 24,
            "processed_at": 20,
        ]
        return names.map { SheetColumn($0, width: widths[$0] ?? 20) }
    }

    private static func errorColumn(_ name: String) -> SheetColumn {
        SheetColumn(name, width: OutboxWriter.isErrorColumn(name) ? 80 : max(14, min(40, Double(name.count + 6))))
    }

    /// A Results cell: the row number as a number, `processed_at` as a date, the outcome filled.
    private static func resultCell(column: Int, text: String) -> OutputCell {
        switch OutboxWriter.resultColumns[safe: column] {
        case "row": return Int(text).map { .number(String($0)) } ?? .text(text)
        case "processed_at":
            guard !text.isEmpty else { return .empty }
            return UTCTimestamp.date(from: text).map(OutputCell.dateTime) ?? .text(text)
        case "outcome": return .text(text, look(ofOutcome: text))
        default: return .text(text)
        }
    }

    private static func look(ofOutcome label: String) -> CellLook {
        guard let outcome = Outcome(rawValue: label) else { return label == "VALID" ? .good : .plain }
        switch outcome {
        case .processed: return .good
        case .failed, .rejected: return .bad
        case .needsCheck, .awaitingConfirmation, .scheduled: return .pending
        default: return .neutral
        }
    }

    private static func writeSummary(_ summary: RunSummary, into workbook: WorkbookWriter) throws {
        try workbook.beginSheet("Summary", columns: [SheetColumn("item", width: 24), SheetColumn("value", width: 60)])
        var rows: [[OutputCell]] = [
            [.text("bulk change"), .number(String(summary.bulkChangeID))],
            [.text("tenant"), .text(summary.tenant)],
            [.text("service provider"), .text(summary.serviceProvider)],
            [.text("change type"), .text(summary.changeType.slug)],
            [.text("source file"), .text(summary.sourceFile)],
            [.text("status"), .text(summary.status)],
            [.text("rows"), .number(String(summary.rows))],
        ]
        rows += summary.counts.sorted { $0.key < $1.key }.map {
            [.text($0.key, look(ofOutcome: $0.key)), .number(String($0.value))]
        }
        rows += [
            [.text("started at"), .dateTime(summary.startedAt)],
            [.text("finished at"), .dateTime(summary.finishedAt)],
            [.text("duration (seconds)"), .number(String(summary.durationSeconds))],
        ]
        rows += summary.warnings.map { [.text("warning"), .text($0)] }
        for row in rows { try workbook.append(row) }
        try workbook.endSheet()
    }
}
