import Foundation
import Store

/// The open rows of one bulk change in pages of `size` detail ids, each worked under a lease of its
/// own, so that several workers on one PostgreSQL database share the devices of one big file. The
/// worker that claimed the file works every page nobody else has taken and waits for the rest;
/// the other workers help a page at a time (`PageHelper`). A page whose worker died is taken
/// over once its lease runs out; its rows in flight are read back before anything is sent again,
/// as after a crash.
struct SharedPages {
    /// Detail ids per page: enough to keep a worker's fan-out busy, few enough that a file of some
    /// thousand rows is spread over several workers.
    static let size: Int64 = 250

    let runner: BulkChangeRunner
    let bulkChangeID: Int64

    private var leases: Leases { runner.workspace.leases }

    /// Works pages until none is left that this process can lease; `false` when it stopped first
    /// (a stop, an open circuit breaker, a lease lost).
    func work(with fanOut: FanOut, setup: ProcessingSetup) async throws(PipelineError) -> Bool {
        var after: Int64 = 0
        while let (key, rows) = try await claimNext(after: &after) {
            var paged = fanOut
            paged.lease = (.detailPage, key)
            let finished: Bool
            do {
                finished = try await paged.run(rows, setup: setup)
            } catch {
                await leases.release(.detailPage, key)
                throw error
            }
            await leases.release(.detailPage, key)
            guard finished else { return false }
        }
        return true
    }

    /// Whether work on the bulk change's rows is left: rows still PENDING or PROCESSING, or pages
    /// another worker holds, which may still be confirming rows it sent. The worker that claimed
    /// the file confirms the leftovers only after that, so two workers never confirm one row.
    func workLeft() async throws(PipelineError) -> Bool {
        let (id, now) = (bulkChangeID, runner.workspace.now())
        do {
            return try await runner.workspace.store.read { connection in
                try connection.detailCounts(bulkChangeID: id).open > 0
                    || connection.leasedPages(bulkChangeID: id, pageSize: Self.size, now: now) > 0
            }
        } catch {
            throw .store(error)
        }
    }

    /// The next page after detail `after` that this process leases now, with its open rows; nil
    /// when every page left with open rows is another worker's. `after` moves past each page looked at.
    private func claimNext(after: inout Int64) async throws(PipelineError) -> (key: Int64, rows: [PendingDevice])? {
        while true {
            let seen = try await runner.pendingPage(bulkChangeID, after: after, limit: Int(Self.size))
            guard let first = seen.first else { return nil }
            let key = first.detailID / Self.size
            after = (key + 1) * Self.size - 1
            guard try await leases.claim(.detailPage, key) else { continue }
            // Read again under the lease: the worker that held the page a moment ago may have
            // finished rows since they were seen.
            let rows = try await runner.pendingPage(bulkChangeID, after: key * Self.size - 1, limit: Int(Self.size))
                .filter { $0.detailID / Self.size == key }
            if !rows.isEmpty { return (key, rows) }
            await leases.release(.detailPage, key)
        }
    }
}
