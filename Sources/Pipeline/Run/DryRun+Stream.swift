import BulkChange
import Foundation
import Store

extension DryRun {
    /// Rows judged per chunk: read, looked up in the inventory, written, then let go.
    static let chunkSize = 4096

    /// `bulkdrop validate` from end to end, chunk by chunk: rows are read, judged against the
    /// inventory with batched lookups and written to `<stem>.validation.*` as they come, so memory
    /// stays flat in the size of the file. The report keeps the first `RunReport.rowsKept` rows.
    ///
    /// - Throws: `PipelineError` when the file cannot be read, the tenant or provider is unknown,
    ///   or the outbox cannot be written.
    static func stream(
        path: String, tenant: String, options: RunOptions, limits: InputLimits, runner: BulkChangeRunner
    ) async throws(PipelineError) -> RunReport {
        let workspace = runner.workspace
        let startedAt = workspace.now()
        let reader = try await InputChunks.open(path, limits: limits)
        let (tenantID, provider) = try await runner.resolve(
            tenant: tenant, provider: options.provider ?? reader.value.serviceProvider)
        guard let providerID = provider.id else { throw .unknownProvider(provider.name, known: []) }
        let catalog: ValidationContext
        do {
            catalog = try await workspace.store.read { connection in
                try ValidationLoader.catalog(tenantID: tenantID, providerID: providerID, now: startedAt, in: connection)
            }
        } catch {
            throw .store(error)
        }
        let sourceFile = options.sourceName ?? path
        let writer = OutboxWriter(root: workspace.configuration.outbox, variant: "validation")
        let columns = reader.value.columns
        let stream = try await OutboxStream.run { () throws(OutboxError) in
            Handed(
                try OutboxStream(
                    writer: writer, tenant: tenant, stem: OutboxWriter.stem(of: sourceFile), inputColumns: columns))
        }
        var validation = RowValidation(changeType: reader.value.changeType)
        var tally = ResultTally()
        var kept: [ResultRow] = []
        // Three steps overlap: the next chunk is read and looked up in the inventory, and the last
        // one written, while this one is judged (one read and one write at a time).
        let store = workspace.store
        let nextChunk = { @Sendable () async throws(PipelineError) -> (rows: [InputRow], context: ValidationContext) in
            let rows = try await InputChunks.next(reader, upTo: chunkSize)
            guard !rows.isEmpty else { return (rows, catalog) }
            return (
                rows, try await lookUp(rows, catalog: catalog, tenantID: tenantID, providerID: providerID, in: store)
            )
        }
        var reading = Self.ahead(nextChunk)
        var writing: Task<Result<Void, PipelineError>, Never>?
        while case let (rows, context) = try await reading.value.get(), !rows.isEmpty {
            reading = Self.ahead(nextChunk)
            let verdicts = validation.validate(rows, context: context)
            let results = zip(rows, verdicts).map { result(row: $0, verdict: $1, type: reader.value.changeType) }
            let cells = Self.inputCells(rows, needingAttentionIn: results)
            try await writing?.value.get()
            writing = Self.ahead { () async throws(PipelineError) in
                try await OutboxStream.run { () throws(OutboxError) in
                    try stream.value.append(results, inputValues: cells)
                }
            }
            tally.add(results)
            kept += results.prefix(max(0, RunReport.rowsKept - kept.count))
            options.progress?(tally.rows, tally.rows)
        }
        try await writing?.value.get()
        let summary = RunSummary(
            bulkChangeID: 0, tenant: tenant, serviceProvider: provider.name, changeType: reader.value.changeType,
            sourceFile: sourceFile, status: "VALIDATED", tally: tally, startedAt: startedAt,
            finishedAt: workspace.now(), warnings: reader.value.warnings.map(\.description))
        let paths = try await OutboxStream.run { () throws(OutboxError) in try stream.value.finish(summary) }
        return RunReport(summary: summary, results: kept, paths: paths)
    }

    /// The input cells of the rows whose results need attention, by row number (the errors file's).
    private static func inputCells(_ rows: [InputRow], needingAttentionIn results: [ResultRow]) -> [Int: [String]] {
        var cells: [Int: [String]] = [:]
        for index in results.indices where results[index].needsAttention {
            cells[rows[index].number] = rows[index].values
        }
        return cells
    }

    /// `catalog` with the devices `rows` name (`ValidationLoader.chunk`).
    private static func lookUp(
        _ rows: [InputRow], catalog: ValidationContext, tenantID: Int64, providerID: Int64, in store: Store
    ) async throws(PipelineError) -> ValidationContext {
        do {
            return try await store.read { connection in
                try ValidationLoader.chunk(
                    catalog, rows: rows, tenantID: tenantID, providerID: providerID, in: connection)
            }
        } catch {
            throw .store(error)
        }
    }

    /// Starts `work` now and keeps its outcome for when it is awaited.
    private static func ahead<Value: Sendable>(_ work: @escaping @Sendable () async throws(PipelineError) -> Value)
        -> Task<Result<Value, PipelineError>, Never>
    {
        Task {
            do throws(PipelineError) {
                return .success(try await work())
            } catch {
                return .failure(error)
            }
        }
    }
}
