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

    /// The status as data, for `--json`.
    public func snapshot(recent: Int) async throws(PipelineError) -> StatusSnapshot {
        let (now, leaseSeconds) = (workspace.now(), workspace.leases.duration.seconds)
        do {
            return try await workspace.store.read { connection in
                try StatusSnapshot.read(recent: recent, now: now, leaseSeconds: leaseSeconds, in: connection)
            }
        } catch {
            throw .store(error)
        }
    }

    /// One line per file, running ones first, then the notifications and the workers.
    public func lines(recent: Int) async throws(PipelineError) -> [String] {
        let snapshot = try await snapshot(recent: recent)
        let dead = snapshot.deadNotifications.map { record in
            "  dead: \(record.subject) to \(record.recipients.joined(separator: ", ")) after "
                + "\(record.attempts) attempts: \(record.lastError ?? "")"
        }
        return ["running: \(snapshot.running.count)"] + snapshot.running.map(Self.line) + ["recent:"]
            + snapshot.recent.map(Self.line)
            + ["notifications: \(snapshot.notificationsWaiting) waiting, \(dead.count) dead"] + dead
            + ["workers: \(snapshot.workers.count)"] + snapshot.workers.map(Self.line)
    }

    /// `claimed acme/fleet.csv claimed 2026-11-28T02:50:01Z: bulk change 3 PROCESSING (12 PENDING)`.
    private static func line(_ file: StatusSnapshot.File) -> String {
        var text = "\(file.status) \(file.tenant)/\(file.file) claimed \(file.claimedAt)"
        if let id = file.bulkChange, let status = file.bulkChangeStatus {
            let counts = file.counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            text += ": bulk change \(id) \(status)" + (counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))")
        } else if let note = file.note {
            text += ": \(note)"
        }
        return text
    }

    /// `  vm pid 4242, heartbeat 2026-11-28T02:50:01Z (3 s ago), holds file #7, bulk change #3`;
    /// a worker silent for longer than a lease is marked as probably gone.
    private static func line(_ worker: StatusSnapshot.Worker) -> String {
        let silent = worker.silent ? ", silent longer than a lease: stopped or cut off" : ""
        let holds = worker.holds.isEmpty ? "holds nothing" : "holds " + worker.holds.joined(separator: ", ")
        return "  \(worker.host) pid \(worker.pid), heartbeat \(worker.heartbeatAt) "
            + "(\(worker.secondsSinceHeartbeat) s ago\(silent)), \(holds)"
    }
}
