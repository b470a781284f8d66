import Foundation

/// What a lease covers.
public enum LeaseKind: String, Sendable, CaseIterable {
    /// A file ledger entry: the claimed file is worked by the owner.
    case file = "FILE"
    /// A bulk change: its rows are sent and confirmed by the owner.
    case bulkChange = "BULK_CHANGE"
    /// A spooled notification being sent.
    case notification = "NOTIFICATION"
    /// The periodic inventory sync of one service provider (keyed by the provider's id).
    case inventorySync = "INVENTORY_SYNC"
    /// A page of a bulk change's rows worked by one of several workers on one database, keyed by
    /// the detail ids it covers (`SharedPages`).
    case detailPage = "DETAIL_PAGE"
}

/// Who holds a lease, and until when.
public struct LeaseHolder: Sendable, Equatable {
    /// `host:pid:token` of the owning process.
    public var owner: String
    public var expiresAt: Date

    public init(owner: String, expiresAt: Date) {
        self.owner = owner
        self.expiresAt = expiresAt
    }
}
