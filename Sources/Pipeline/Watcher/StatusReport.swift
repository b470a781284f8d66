import Foundation
import Store

/// What `bulkdrop status` shows: files being applied (claimed, not finished) and the recent ones,
/// each with its bulk change's status and counts, the notifications, and the workers with what
/// each holds.
public struct StatusReport: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// One line per file, running ones first.
    public func lines(recent: Int) async throws(PipelineError) -> [String] {
        let (now, leaseTime) = (workspace.now(), workspace.leases.duration.seconds)
        do {
            return try await workspace.store.read { connection in
                let tenants = try connection.tenantNames()
                let running = try connection.openLedgerEntries()
                let done = try connection.recentLedgerEntries(limit: recent).filter { $0.status != .claimed }
                func line(_ entry: LedgerEntry) throws -> String {
                    let tenant = tenants[entry.tenantID] ?? "?"
                    var text = "\(entry.status.rawValue.lowercased()) \(tenant)/\(entry.originalName)"
                    text += " claimed \(Timestamps.iso8601(entry.claimedAt))"
                    if let id = entry.bulkChangeID, let change = try connection.bulkChange(id: id) {
                        let counts = change.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }
                            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                        text += ": bulk change \(id) \(change.status)" + (counts.isEmpty ? "" : " (\(counts))")
                    } else if let note = entry.note {
                        text += ": \(note)"
                    }
                    return text
                }
                let runningLines = try running.map(line)
                let doneLines = try done.map(line)
                let waiting = try connection.notifications(status: .pending)
                let dead = try connection.notifications(status: .dead).map { record in
                    "  dead: \(record.subject) to \(record.recipients.joined(separator: ", ")) after "
                        + "\(record.attempts) attempts: \(record.lastError ?? "")"
                }
                let workers = try connection.workers(now: now)
                return ["running: \(running.count)"] + runningLines + ["recent:"] + doneLines
                    + ["notifications: \(waiting.count) waiting, \(dead.count) dead"] + dead
                    + ["workers: \(workers.count)"] + workers.map { Self.line($0, leaseTime: leaseTime) }
            }
        } catch {
            throw .store(error)
        }
    }

    /// `  vm pid 4242, heartbeat 2026-11-28T02:50:01Z (3 s ago), holds file #7, bulk change #3`;
    /// a worker silent for longer than a lease is marked as probably gone.
    private static func line(_ worker: WorkerRecord, leaseTime: Double) -> String {
        let age = max(0, Int(Date().timeIntervalSince(worker.heartbeatAt).rounded()))
        let silent = Double(age) > leaseTime ? ", silent longer than a lease: stopped or cut off" : ""
        let holds =
            worker.holds.isEmpty
            ? "holds nothing"
            : "holds " + worker.holds.map { "\(Self.kindNames[$0.kind] ?? $0.kind) #\($0.id)" }.joined(separator: ", ")
        return "  \(worker.host) pid \(worker.pid), heartbeat \(Timestamps.iso8601(worker.heartbeatAt)) "
            + "(\(age) s ago\(silent)), \(holds)"
    }

    /// Lease kinds as `status` names them.
    private static let kindNames = [
        LeaseKind.file.rawValue: "file", LeaseKind.bulkChange.rawValue: "bulk change",
        LeaseKind.notification.rawValue: "notification", LeaseKind.inventorySync.rawValue: "inventory sync of provider",
        LeaseKind.detailPage.rawValue: "page of rows",
    ]
}
