import BulkChange
import CSV
import Foundation
import XLSX

/// `<stem>.results.xlsx`: the results, the rows to fix and the summary of one input file as a
/// workbook for the people who double-click it, written beside the CSV files as the same rows go
/// by (`OutboxStream`), so memory stays flat in the size of the file.
///
/// - Results: row numbers as numbers, ICCIDs and every other value as text, `processed_at` as a
///   date and time, the outcome cell filled by outcome (green done, red to fix, amber not yet
///   settled, grey nothing to do).
/// - Errors: the input columns plus `error`, all text, copied from the finished errors CSV; fixed
///   in Excel, the workbook can be dropped again as it is (the reader prefers this sheet).
/// - Summary: the bulk change, tenant, counts and times.
///
/// Every sheet has a bold, frozen header; Results and Errors an autofilter. The file is written
/// under a temporary name and put in place by `finish`.
final class ResultWorkbook {
    private let path: String
    private let temporary: String
    private let workbook: WorkbookWriter
    private var finished = false

    /// Starts the workbook for `path` with the Results sheet's header.
    ///
    /// - Throws: `OutboxError` when the file cannot be created.
    init(path: String) throws(OutboxError) {
        self.path = path
        temporary = try AtomicFile.temporaryPath(for: path)
        do {
            workbook = try WorkbookWriter(path: temporary, modified: Date())
            try workbook.beginSheet("Results", columns: Self.resultColumns, autoFilter: true)
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
    }

    deinit {
        if !finished { try? FileManager.default.removeItem(atPath: temporary) }
    }

    /// Appends result rows to the Results sheet, in input order.
    ///
    /// - Throws: `OutboxError` when the file cannot be written.
    func append(_ rows: [ResultRow]) throws(OutboxError) {
        do {
            for row in rows {
                try workbook.append([
                    .number(String(row.row)), .text(row.iccid), .text(row.changeType.slug),
                    .text(row.outcomeLabel, Self.look(of: row.outcome)), .text(row.message), .text(row.oldValue ?? ""),
                    .text(row.newValue ?? ""), row.processedAt.map(OutputCell.dateTime) ?? .empty,
                ])
            }
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
    }

    /// Adds the Errors sheet (from the finished errors CSV at `errors`, or only the header
    /// `errorColumns` when there is none) and the Summary sheet, and puts the workbook in place.
    ///
    /// - Throws: `OutboxError` when a file cannot be read or the workbook written.
    func finish(errors: String?, errorColumns: [String], summary: RunSummary) throws(OutboxError) {
        do {
            try workbook.endSheet()
            try copyErrors(errors, header: errorColumns)
            try writeSummary(summary)
            try workbook.finish()
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
        try AtomicFile.commit(temporary, to: path)
        finished = true
    }

    private static let resultColumns = zip(
        OutboxWriter.resultColumns, [8.0, 24, 20, 24, 70, 24, 24, 20]
    ).map { SheetColumn($0, width: $1) }

    private static func look(of outcome: Outcome?) -> CellLook {
        switch outcome {
        case nil, .processed: .good
        case .failed, .rejected: .bad
        case .needsCheck, .awaitingConfirmation, .scheduled: .pending
        default: .neutral
        }
    }

    /// The errors CSV's rows as text cells, its `'` formula guards taken off again.
    private func copyErrors(_ errors: String?, header: [String]) throws {
        let reader = try errors.map { path throws in try CSVReader(path: path) }
        let columns = try reader?.next().map(Array.init) ?? header
        try workbook.beginSheet("Errors", columns: columns.map(Self.errorColumn), autoFilter: true)
        var record = CSVRecord()
        while let reader, try reader.readRecord(into: &record) {
            try workbook.append(record.map { .text(CSVWriter.unguarded($0)) })
        }
        try workbook.endSheet()
    }

    private static func errorColumn(_ name: String) -> SheetColumn {
        SheetColumn(name, width: OutboxWriter.isErrorColumn(name) ? 80 : max(14, min(40, Double(name.count + 6))))
    }

    private func writeSummary(_ summary: RunSummary) throws {
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
        rows += summary.counts.sorted { $0.key < $1.key }.map { label, count in
            [.text(label, Self.look(of: Outcome(rawValue: label))), .number(String(count))]
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
