import BulkChange
import Foundation
import Store

/// The outbox files of a recorded bulk change, written from the store alone: one result row per
/// input row, the rows to fix with their input cells, and the summary. The input file is not
/// needed, so the files can be written again when a late confirmation settles a row, and after a
/// crash even if the dropped file is gone.
struct ResultFiles: Sendable {
    let workspace: Workspace

    /// Reads the bulk change and its rows and writes its three files (on a file-work thread).
    ///
    /// - Throws: `PipelineError.unfinished` while a row is still PENDING or PROCESSING.
    func write(bulkChangeID id: Int64) async throws(PipelineError) -> RunReport {
        let loaded: Loaded
        do {
            loaded = try await workspace.store.read { connection in try Self.load(id, connection) }
        } catch {
            throw .store(error)
        }
        if let open = loaded.open { throw .unfinished(bulkChangeID: id, open: open) }
        let summary = RunSummary(
            bulkChangeID: id, tenant: loaded.tenant, serviceProvider: loaded.provider, changeType: loaded.changeType,
            sourceFile: loaded.change.sourceFileName, status: loaded.change.status, results: loaded.results,
            startedAt: loaded.change.startedAt ?? loaded.change.createdAt,
            finishedAt: loaded.change.finishedAt ?? workspace.now(), warnings: loaded.change.warnings)
        let writer = OutboxWriter(root: workspace.configuration.outbox)
        let (results, columns, cells) = (loaded.results, loaded.change.inputColumns, loaded.cells)
        let stem = loaded.change.resultStem ?? OutboxWriter.stem(of: loaded.change.sourceFileName)
        do {
            let paths = try await FileWork.run { () throws(OutboxError) in
                try writer.write(
                    results: results, summary: summary, stem: stem, inputColumns: columns, inputValues: cells)
            }
            return RunReport(summary: summary, results: results, paths: paths)
        } catch {
            throw .outbox(error)
        }
    }

    /// What the files are made of.
    private struct Loaded: Sendable {
        var change: BulkChangeRecord
        var tenant: String
        var provider: String
        var changeType: ChangeType
        var results: [ResultRow]
        /// Input cells of the rows that need attention, by row number.
        var cells: [Int: [String]]
        /// How many rows are still PENDING or PROCESSING, when any are.
        var open: Int?
    }

    private static func load(_ id: Int64, _ connection: StoreConnection) throws(StoreError) -> Loaded {
        guard let change = try connection.bulkChange(id: id) else { throw .notFound(kind: "bulk change", id: id) }
        guard let changeType = ChangeType(rawValue: change.changeType) else {
            throw .invalidValue(field: "change_type", value: change.changeType, expected: "a change type slug")
        }
        let tenant = try connection.tenantName(id: change.tenantID) ?? "?"
        let provider = try connection.provider(id: change.providerID)?.name ?? "?"
        var results: [ResultRow] = []
        var open = 0
        for detail in try connection.details(bulkChangeID: id, withRequests: false) {
            guard let outcome = Outcome(rawValue: detail.status) else {
                open += 1
                continue
            }
            let row = ResultRow(
                row: detail.rowNumber, iccid: detail.iccid, changeType: changeType, outcome: outcome,
                message: detail.message ?? "", oldValue: detail.oldValue, newValue: detail.newValue,
                processedAt: detail.processedAt)
            results.append(row)
        }
        let cells = try connection.inputCells(bulkChangeID: id, statuses: ResultRow.attentionOutcomes.map(\.rawValue))
        return Loaded(
            change: change, tenant: tenant, provider: provider, changeType: changeType, results: results, cells: cells,
            open: open > 0 ? open : nil)
    }
}
