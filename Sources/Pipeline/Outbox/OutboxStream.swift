import BulkChange
import CSV
import Foundation

/// The results and errors files of one input file, and their workbook (`ResultWorkbook`), written
/// as its rows go by, so a million-row file never needs all its result rows in memory. All are
/// written under temporary names and renamed into place by `finish`, with the summary: a reader
/// sees whole files or none. The errors file is made only when a row needs attention; a stale one
/// of the same name is removed.
public final class OutboxStream {
    /// Where the files go.
    public let paths: OutboxPaths
    private let results: CSVFileWriter
    private let workbook: ResultWorkbook
    private let resultsTemporary: String
    private var errors: (writer: CSVFileWriter, path: String)?
    private let inputColumns: [String]
    /// The input columns the errors file repeats: all but an `error` column of an earlier errors file.
    private let keptColumns: [Int]
    private var finished = false

    /// Opens the files named `stem` in `writer`'s outbox for `tenant`.
    ///
    /// - Throws: `OutboxError` when the outbox folder cannot be written.
    public init(writer: OutboxWriter, tenant: String, stem: String, inputColumns: [String]) throws(OutboxError) {
        paths = writer.paths(tenant: tenant, stem: stem)
        let kept = inputColumns.indices.filter { !OutboxWriter.isErrorColumn(inputColumns[$0]) }
        workbook = try ResultWorkbook(path: paths.workbook, errorColumns: kept.map { inputColumns[$0] } + ["error"])
        resultsTemporary = try AtomicFile.temporaryPath(for: paths.results)
        do {
            results = try CSVFileWriter(path: resultsTemporary)
            try results.write(OutboxWriter.resultColumns)
        } catch {
            throw .unwritable(path: paths.results, reason: "\(error)")
        }
        self.inputColumns = inputColumns
        keptColumns = kept
    }

    deinit {
        guard !finished else { return }
        try? FileManager.default.removeItem(atPath: resultsTemporary)
        if let errors { try? FileManager.default.removeItem(atPath: errors.path) }
    }

    /// Appends the next result rows, in input order, and the input cells (by row number) of those
    /// that need attention.
    ///
    /// - Throws: `OutboxError` when a file cannot be written.
    public func append(_ rows: [ResultRow], inputValues: [Int: [String]]) throws(OutboxError) {
        do {
            for row in rows { try results.write(cells: OutboxWriter.cells(row)) }
        } catch {
            throw .unwritable(path: paths.results, reason: "\(error)")
        }
        try workbook.append(rows)
        for row in rows where row.needsAttention {
            let errors = try errorsFile()
            let values = inputValues[row.row] ?? []
            let texts = keptColumns.map { $0 < values.count ? values[$0] : "" } + [row.message]
            try workbook.appendError(texts)
            do {
                try errors.writer.write(texts)
            } catch {
                throw .unwritable(path: paths.errors, reason: "\(error)")
            }
        }
    }

    /// Closes the CSV files and puts them in place, finishes the workbook, then writes `summary`.
    ///
    /// - Throws: `OutboxError` when a file cannot be finished.
    public func finish(_ summary: RunSummary) throws(OutboxError) -> OutboxPaths {
        do { try results.close() } catch { throw .unwritable(path: paths.results, reason: "\(error)") }
        try AtomicFile.commit(resultsTemporary, to: paths.results)
        if let errors {
            do { try errors.writer.close() } catch { throw .unwritable(path: paths.errors, reason: "\(error)") }
            try AtomicFile.commit(errors.path, to: paths.errors)
        } else {
            try OutboxWriter.removeStale(paths.errors)
        }
        finished = true
        try workbook.finish(summary: summary)
        try OutboxWriter.writeSummary(summary, to: paths.summary)
        return paths
    }

    private func errorsFile() throws(OutboxError) -> (writer: CSVFileWriter, path: String) {
        if let errors { return errors }
        let path = try AtomicFile.temporaryPath(for: paths.errors)
        do {
            let writer = try CSVFileWriter(path: path)
            try writer.write(keptColumns.map { inputColumns[$0] } + ["error"])
            errors = (writer, path)
            return (writer, path)
        } catch {
            throw .unwritable(path: paths.errors, reason: "\(error)")
        }
    }

    /// Runs outbox work on a file-work thread, its failure as a pipeline error.
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws(OutboxError) -> Value)
        async throws(PipelineError) -> Value
    {
        do {
            return try await FileWork.run(work)
        } catch {
            throw .outbox(error)
        }
    }
}
