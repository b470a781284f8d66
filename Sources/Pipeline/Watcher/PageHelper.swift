import BulkChange
import Foundation
import Jasper
import Store

/// On a database shared by several workers: helps with the bulk changes other workers are
/// applying, a page of rows at a time (`SharedPages`), so the devices of one big file are spread
/// over every worker instead of waiting for the one that claimed it.
struct PageHelper {
    let workspace: Workspace
    let log: EventLog
    let shouldStop: @Sendable () -> Bool

    /// Works every free page of every bulk change another live worker holds, then returns. Runs
    /// between two looks at the inbox, so it reads the bulk changes without counting their rows.
    func helpOnce() async {
        let owner = workspace.leases.owner
        let now = workspace.now()
        let held: [Int64]
        do {
            held = try await workspace.store.read { connection in
                try connection.bulkChanges(status: "PROCESSING", counted: false).compactMap(\.id).filter { id in
                    guard let holder = try connection.leaseHolder(.bulkChange, id: id) else { return false }
                    return holder.owner != owner && holder.expiresAt > now
                }
            }
        } catch {
            log.event("help-failed", level: .warning, ["reason": "\(error)"])
            return
        }
        for id in held where !shouldStop() {
            do {
                let rows = try await help(id)
                if rows > 0 { log.event("helped", ["bulk_change": "\(id)", "rows": "\(rows)"]) }
            } catch {
                log.event("help-failed", level: .warning, ["bulk_change": "\(id)", "reason": "\(error)"])
            }
        }
    }

    /// Works the free pages of bulk change `id`; returns how many rows this worker finished.
    private func help(_ id: Int64) async throws(PipelineError) -> Int {
        let runner = BulkChangeRunner(workspace: workspace)
        let (header, _, _) = try await runner.unfinished(id)
        let breaker = CircuitBreaker()
        let endpoint: any JasperEndpoint
        do {
            endpoint = CircuitBreaker.Endpoint(
                base: try Preflight.check(header.provider, workspace: workspace), breaker: breaker)
        } catch {
            return 0  // the worker that claimed the file fails its rows with the reason
        }
        let shouldStop = shouldStop
        let fanOut = FanOut(
            workspace: workspace, changeType: header.changeType, bulkChangeID: id, progress: nil,
            shouldStop: { shouldStop() || breaker.isOpen })
        _ = try await SharedPages(runner: runner, bulkChangeID: id).work(
            with: fanOut, setup: runner.processingSetup(header, endpoint: endpoint))
        return fanOut.done.value
    }
}
