import Foundation

/// A `bulkdrop run` process as the database knows it: its last heartbeat and the live leases it
/// holds.
public struct WorkerRecord: Sendable, Equatable {
    /// `host:pid:token`, as its leases name it.
    public let owner: String
    public let host: String
    public let pid: Int
    public let startedAt: Date
    public let heartbeatAt: Date
    /// The work it holds: lease kind and item id, in that order.
    public var holds: [(kind: String, id: Int64)]

    public init(owner: String, host: String, pid: Int, startedAt: Date, heartbeatAt: Date, holds: [(String, Int64)]) {
        self.owner = owner
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.holds = holds.map { (kind: $0.0, id: $0.1) }
    }

    public static func == (left: WorkerRecord, right: WorkerRecord) -> Bool {
        left.owner == right.owner && left.host == right.host && left.pid == right.pid
            && left.startedAt == right.startedAt && left.heartbeatAt == right.heartbeatAt
            && left.holds.map(\.kind) == right.holds.map(\.kind) && left.holds.map(\.id) == right.holds.map(\.id)
    }
}
