import Foundation

/// Where the last successful inventory sync of a service provider ended (`provider_sync`).
public struct ProviderSyncRecord: Sendable, Equatable {
    public var providerID: Int64
    /// Changes made on Control Center before this moment were listed; the next sync continues here.
    public var syncedThrough: Date
    /// When that sync finished.
    public var syncedAt: Date

    /// A provider's sync point.
    public init(providerID: Int64, syncedThrough: Date, syncedAt: Date) {
        self.providerID = providerID
        self.syncedThrough = syncedThrough
        self.syncedAt = syncedAt
    }
}
