import Foundation
import Store

/// Retention: an archived device record is removed once the date its archival set
/// (`retainUntil`) has passed, with its history rows; each removal is logged. What the partner
/// and the audit need stays: bulk changes, their rows, logs and carrier edits (they keep the ICCID
/// as text) and the outbox files.
public struct RetentionPurge: Sendable {
    public let workspace: Workspace
    let log: EventLog

    public init(workspace: Workspace, log: EventLog) {
        self.workspace = workspace
        self.log = log
    }

    /// Devices removed per write transaction, so other writers are not held up long.
    static let batch = 500

    /// Removes every archived record whose retention date is at or before now; returns how many.
    /// A failure is logged, and the next pass tries again.
    @discardableResult
    public func purgeDue() async -> Int {
        let now = workspace.now()
        var total = 0
        while true {
            let purged: [PurgedDevice]
            let tenants: [Int64: String]
            do {
                (purged, tenants) = try await workspace.store.write { connection in
                    (try connection.purgeExpiredDevices(asOf: now, limit: Self.batch), try connection.tenantNames())
                }
            } catch {
                log.event(
                    "purge-failed", level: .error, ["reason": "\(error)", "next": "tried again at the next pass"])
                return total
            }
            for device in purged {
                log.event(
                    "purged",
                    [
                        "tenant": tenants[device.tenantID] ?? "?", "iccid": device.iccid,
                        "archived_at": Timestamps.iso8601(device.archivedAt),
                        "retain_until": Timestamps.iso8601(device.retainUntil),
                        "history_rows": "\(device.historyRows)",
                    ])
            }
            total += purged.count
            guard purged.count == Self.batch else { return total }
        }
    }
}
