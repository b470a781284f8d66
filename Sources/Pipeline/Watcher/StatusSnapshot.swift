import Foundation
import Store

/// What `bulkdrop status` knows at one moment, for people (`StatusReport.lines`) and for scripts
/// (`bulkdrop status --json`): files being applied and recent ones, notifications, workers.
public struct StatusSnapshot: Encodable, Sendable {
    /// A file of the ledger, with its bulk change's status and counts when it has one.
    public struct File: Encodable, Sendable {
        /// `claimed` while it is being applied, then `done`, `duplicate` or `rejected`.
        public let status: String
        public let tenant: String
        public let file: String
        public let claimedAt: String
        public let bulkChange: Int64?
        public let bulkChangeStatus: String?
        /// Rows by outcome (only those with any).
        public let counts: [String: Int]
        public let note: String?
    }

    /// An email given up after its last attempt.
    public struct DeadNotification: Encodable, Sendable {
        public let subject: String
        public let recipients: [String]
        public let attempts: Int
        public let lastError: String?
    }

    /// A `bulkdrop run` process and the work it holds (lease kind as `status` names it, and id).
    public struct Worker: Encodable, Sendable {
        public let host: String
        public let pid: Int
        public let heartbeatAt: String
        public let secondsSinceHeartbeat: Int
        /// Silent for longer than a lease: stopped, or cut off from the database.
        public let silent: Bool
        public let holds: [String]
    }

    public let running: [File]
    public let recent: [File]
    public let notificationsWaiting: Int
    public let deadNotifications: [DeadNotification]
    public let workers: [Worker]

    /// Reads the snapshot; `recent` finished files at most, `leaseSeconds` to tell silent workers.
    static func read(recent: Int, now: Date, leaseSeconds: Double, in connection: StoreConnection)
        throws(StoreError) -> StatusSnapshot
    {
        let tenants = try connection.tenantNames()
        func file(_ entry: LedgerEntry) throws(StoreError) -> File {
            let change = try entry.bulkChangeID.flatMap { id throws(StoreError) in try connection.bulkChange(id: id) }
            return File(
                status: entry.status.rawValue.lowercased(), tenant: tenants[entry.tenantID] ?? "?",
                file: entry.originalName, claimedAt: Timestamps.iso8601(entry.claimedAt), bulkChange: change?.id,
                bulkChangeStatus: change?.status, counts: change?.counts.filter { $0.value > 0 } ?? [:],
                note: change == nil ? entry.note : nil)
        }
        let running = try connection.openLedgerEntries()
        let done = try connection.recentLedgerEntries(limit: recent).filter { $0.status != .claimed }
        let dead = try connection.notifications(status: .dead).map { record in
            DeadNotification(
                subject: record.subject, recipients: record.recipients, attempts: record.attempts,
                lastError: record.lastError)
        }
        let workers = try connection.workers(now: now).map { worker in
            let age = max(0, Int(Date().timeIntervalSince(worker.heartbeatAt).rounded()))
            return Worker(
                host: worker.host, pid: worker.pid, heartbeatAt: Timestamps.iso8601(worker.heartbeatAt),
                secondsSinceHeartbeat: age, silent: Double(age) > leaseSeconds,
                holds: worker.holds.map { "\(kindNames[$0.kind] ?? $0.kind) #\($0.id)" })
        }
        var runningFiles: [File] = []
        for entry in running { runningFiles.append(try file(entry)) }
        var recentFiles: [File] = []
        for entry in done { recentFiles.append(try file(entry)) }
        return StatusSnapshot(
            running: runningFiles, recent: recentFiles,
            notificationsWaiting: try connection.notificationCounts()[NotificationStatus.pending.rawValue] ?? 0,
            deadNotifications: dead,
            workers: workers)
    }

    /// Lease kinds as `status` names them.
    private static let kindNames = [
        LeaseKind.file.rawValue: "file", LeaseKind.bulkChange.rawValue: "bulk change",
        LeaseKind.notification.rawValue: "notification", LeaseKind.inventorySync.rawValue: "inventory sync of provider",
        LeaseKind.detailPage.rawValue: "page of rows",
    ]
}
