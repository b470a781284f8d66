import BulkChange
import Foundation
import XLSX

/// `<stem>.results.xlsx`: the results, the rows to fix and the summary of one input file as a
/// workbook for the people who double-click it, written beside the CSV files as the same rows go
/// by (`OutboxStream`), so memory stays flat in the size of the file.
///
/// - Results: row numbers as numbers, ICCIDs and every other value as text, `processed_at` as a
///   date and time, the outcome cell filled by outcome (green done, red to fix, amber not yet
///   settled, grey nothing to do).
/// - Errors: the input columns plus `error`, all text, as the errors CSV has them; fixed in
///   Excel, the workbook can be dropped again as it is (the reader prefers this sheet).
/// - Summary: the bulk change, tenant, counts and times.
///
/// Every sheet has a bold, frozen header; Results and Errors an autofilter. The file is written
/// under a temporary name and put in place by `finish`.
final class ResultWorkbook {
    private let path: String
    private let temporary: String
    private let workbook: WorkbookWriter
    /// The Errors sheet, written beside the Results sheet in a workbook of its own and added to
    /// the other at the end (an archive's entries cannot be written at the same time).
    private let errorsTemporary: String
    private let errors: WorkbookWriter
    private var finished = false

    /// Starts the workbook for `path` with the Results sheet's header, and the Errors sheet with
    /// `errorColumns`.
    ///
    /// - Throws: `OutboxError` when the files cannot be created.
    init(path: String, errorColumns: [String]) throws(OutboxError) {
        self.path = path
        temporary = try AtomicFile.temporaryPath(for: path)
        errorsTemporary = try AtomicFile.temporaryPath(for: path + ".errors")
        do {
            workbook = try WorkbookWriter(path: temporary, modified: Date())
            try workbook.beginSheet("Results", columns: Self.resultColumns, autoFilter: true)
            errors = try WorkbookWriter(path: errorsTemporary, modified: Date())
            try errors.beginSheet("Errors", columns: errorColumns.map(Self.errorColumn), autoFilter: true)
        } catch {
            throw .unwritable(path: path, reason: "\(error)")
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: errorsTemporary)
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

    /// Appends a row to fix to the Errors sheet: its input cells and the error, as text.
    ///
    /// - Throws: `OutboxError` when the file cannot be written.
    func appendError(_ texts: [String]) throws(OutboxError) {
        do { try errors.append(texts.map { .text($0) }) } catch { throw .unwritable(path: path, reason: "\(error)") }
    }

    /// Adds the Errors sheet and the Summary sheet, and puts the workbook in place.
    ///
    /// - Throws: `OutboxError` when the workbook cannot be written.
    func finish(summary: RunSummary) throws(OutboxError) {
        do {
            try workbook.endSheet()
            try errors.endSheet()
            try workbook.appendSheet(try errors.finishAsSheet(of: errorsTemporary))
            try? FileManager.default.removeItem(atPath: errorsTemporary)
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
