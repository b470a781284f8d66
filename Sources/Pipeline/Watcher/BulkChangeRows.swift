import Foundation
import Store

/// The rows of one bulk change with their outcomes, read from the store a page at a time, for
/// `bulkdrop show`: a bulk change of a million rows is never held whole.
public struct BulkChangeRows: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Rows read per page.
    static let pageSize = 2000

    /// The bulk change and its tenant's name, or nil when there is no bulk change with that id.
    public func header(_ id: Int64) async throws(PipelineError) -> (change: BulkChangeRecord, tenant: String)? {
        do {
            return try await workspace.store.read { connection in
                guard let change = try connection.bulkChange(id: id) else { return nil }
                return (change, try connection.tenantName(id: change.tenantID) ?? "?")
            }
        } catch {
            throw .store(error)
        }
    }

    /// Hands `body` the bulk change's rows in row order, a page at a time, keeping only those whose
    /// status is in `outcomes` (every row when it is empty).
    public func forEachPage(
        _ id: Int64, outcomes: Set<String>, _ body: @Sendable ([DetailRecord]) -> Void
    ) async throws(PipelineError) {
        var after = 0
        while true {
            let page: [DetailRecord]
            do {
                page = try await workspace.store.read { [after] connection in
                    try connection.details(bulkChangeID: id, afterRow: after, limit: Self.pageSize)
                }
            } catch {
                throw .store(error)
            }
            guard let last = page.last else { return }
            after = last.rowNumber
            body(outcomes.isEmpty ? page : page.filter { outcomes.contains($0.status) })
        }
    }
}
