import Foundation
import Store

/// What `bulkdrop status` shows: files being applied (claimed, not finished) and the recent ones,
/// each with its bulk change's status and counts.
public struct StatusReport: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// One line per file, running ones first.
    public func lines(recent: Int) async throws(PipelineError) -> [String] {
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
                return ["running: \(running.count)"] + runningLines + ["recent:"] + doneLines
                    + ["notifications: \(waiting.count) waiting, \(dead.count) dead"] + dead
            }
        } catch {
            throw .store(error)
        }
    }
}
