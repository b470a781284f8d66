import BulkChange
import Foundation
import Store

/// The outbox files of a recorded bulk change, written from the store alone: one result row per
/// input row, the rows to fix with their input cells, and the summary. The input file is not
/// needed, so the files can be written again when a late confirmation settles a row, and after a
/// crash even if the dropped file is gone. Rows are read a page at a time and streamed into the
/// files, so a million-row bulk change is written in flat memory.
struct ResultFiles: Sendable {
    let workspace: Workspace

    /// Rows read from the store and written per page.
    static let pageSize = 4096

    /// Reads the bulk change and its rows and writes its three files (on a file-work thread).
    /// The report keeps the first `RunReport.rowsKept` rows; the counts cover them all.
    ///
    /// - Throws: `PipelineError.unfinished` while a row is still PENDING or PROCESSING.
    func write(bulkChangeID id: Int64) async throws(PipelineError) -> RunReport {
        let head = try await header(id)
        let writer = OutboxWriter(root: workspace.configuration.outbox)
        let stem = head.change.resultStem ?? OutboxWriter.stem(of: head.change.sourceFileName)
        let columns = head.change.inputColumns
        let tenant = head.tenant
        let stream = try await OutboxStream.run { () throws(OutboxError) in
            Handed(try OutboxStream(writer: writer, tenant: tenant, stem: stem, inputColumns: columns))
        }
        var tally = ResultTally()
        var kept: [ResultRow] = []
        var afterRow = 0
        while case let page = try await page(id, afterRow: afterRow, changeType: head.changeType), !page.rows.isEmpty {
            if page.open > 0 { throw .unfinished(bulkChangeID: id, open: try await openCount(id)) }
            try await OutboxStream.run { () throws(OutboxError) in
                try stream.value.append(page.rows, inputValues: page.cells)
            }
            tally.add(page.rows)
            kept += page.rows.prefix(max(0, RunReport.rowsKept - kept.count))
            afterRow = page.lastRow
        }
        let summary = RunSummary(
            bulkChangeID: id, tenant: head.tenant, serviceProvider: head.provider, changeType: head.changeType,
            sourceFile: head.change.sourceFileName, status: head.change.status, tally: tally,
            startedAt: head.change.startedAt ?? head.change.createdAt,
            finishedAt: head.change.finishedAt ?? workspace.now(), warnings: head.change.warnings)
        let paths = try await OutboxStream.run { () throws(OutboxError) in try stream.value.finish(summary) }
        return RunReport(summary: summary, results: kept, paths: paths)
    }

    /// The bulk change and the names its files show.
    private struct Header: Sendable {
        var change: BulkChangeRecord
        var tenant: String
        var provider: String
        var changeType: ChangeType
    }

    /// One page of result rows, the input cells of those that need attention, and how many of the
    /// page's rows are still open.
    private struct Page: Sendable {
        var rows: [ResultRow] = []
        var cells: [Int: [String]] = [:]
        var open = 0
        var lastRow = 0
    }

    private func header(_ id: Int64) async throws(PipelineError) -> Header {
        do {
            return try await workspace.store.read { connection in
                guard let change = try connection.bulkChange(id: id) else {
                    throw StoreError.notFound(kind: "bulk change", id: id)
                }
                guard let changeType = ChangeType(rawValue: change.changeType) else {
                    throw StoreError.invalidValue(
                        field: "change_type", value: change.changeType, expected: "a change type slug")
                }
                return Header(
                    change: change, tenant: try connection.tenantName(id: change.tenantID) ?? "?",
                    provider: try connection.provider(id: change.providerID)?.name ?? "?", changeType: changeType)
            }
        } catch {
            throw .store(error)
        }
    }

    private func page(_ id: Int64, afterRow: Int, changeType: ChangeType) async throws(PipelineError) -> Page {
        do {
            return try await workspace.store.read { connection in
                let details = try connection.details(bulkChangeID: id, afterRow: afterRow, limit: Self.pageSize)
                var page = Page(lastRow: details.last?.rowNumber ?? afterRow)
                for detail in details {
                    guard let outcome = Outcome(rawValue: detail.status) else {
                        page.open += 1
                        continue
                    }
                    page.rows.append(
                        ResultRow(
                            row: detail.rowNumber, iccid: detail.iccid, changeType: changeType, outcome: outcome,
                            message: detail.message ?? "", oldValue: detail.oldValue, newValue: detail.newValue,
                            processedAt: detail.processedAt))
                }
                if let first = details.first, page.rows.contains(where: \.needsAttention) {
                    page.cells = try connection.inputCells(
                        bulkChangeID: id, statuses: ResultRow.attentionOutcomes.map(\.rawValue),
                        rows: first.rowNumber...page.lastRow)
                }
                return page
            }
        } catch {
            throw .store(error)
        }
    }

    /// How many of the bulk change's rows are still PENDING or PROCESSING.
    private func openCount(_ id: Int64) async throws(PipelineError) -> Int {
        do {
            return try await workspace.store.read { connection in
                try connection.detailCounts(bulkChangeID: id).open
            }
        } catch {
            throw .store(error)
        }
    }
}
