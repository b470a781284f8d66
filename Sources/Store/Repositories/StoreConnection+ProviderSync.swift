import Foundation

extension StoreConnection {
    /// Where the provider's last successful inventory sync ended, or nil before its first one.
    public func providerSync(providerID: Int64) throws(StoreError) -> ProviderSyncRecord? {
        let sql = "SELECT synced_through, synced_at FROM provider_sync WHERE provider_id = ?1"
        return try queryFirst("reading the sync point of provider \(providerID)", sql, [SQLValue(providerID)]) {
            row throws(StoreError) in
            ProviderSyncRecord(providerID: providerID, syncedThrough: try row.date(0), syncedAt: try row.date(1))
        }
    }

    /// Records a successful inventory sync of the provider, replacing the earlier point.
    ///
    /// - Throws: `StoreError.constraintViolation` for an unknown provider.
    public func recordProviderSync(_ sync: ProviderSyncRecord) throws(StoreError) {
        let sql = """
            INSERT INTO provider_sync (provider_id, synced_through, synced_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (provider_id) DO UPDATE SET synced_through = excluded.synced_through,
                synced_at = excluded.synced_at
            """
        try run(
            "recording the sync point of provider \(sync.providerID)", sql,
            [SQLValue(sync.providerID), SQLValue(sync.syncedThrough), SQLValue(sync.syncedAt)])
    }
}
