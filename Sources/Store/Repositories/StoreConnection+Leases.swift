import Foundation

extension StoreConnection {
    /// Takes the lease on `kind` `id` for `owner` until `expiresAt`, when nobody holds it, its
    /// holder's lease ran out by `now`, or `owner` holds it already (then it is renewed).
    ///
    /// - Returns: whether `owner` holds the lease now.
    public func claimLease(_ kind: LeaseKind, id: Int64, owner: String, until expiresAt: Date, now: Date)
        throws(StoreError) -> Bool
    {
        let sql = """
            INSERT INTO lease (kind, item_id, owner, expires_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (kind, item_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE lease.owner = excluded.owner OR lease.expires_at <= ?5
            """
        let values = [SQLValue(kind.rawValue), SQLValue(id), SQLValue(owner), SQLValue(expiresAt), SQLValue(now)]
        return try run("claiming the \(kind.rawValue) lease of \(id)", sql, values) == 1
    }

    /// Moves the expiry of every lease `owner` holds to `expiresAt`; returns how many it holds.
    @discardableResult
    public func renewLeases(owner: String, until expiresAt: Date) throws(StoreError) -> Int {
        let sql = "UPDATE lease SET expires_at = ?2 WHERE owner = ?1"
        return try run("renewing the leases of \(owner)", sql, [SQLValue(owner), SQLValue(expiresAt)])
    }

    /// Gives a lease back (only its owner can).
    public func releaseLease(_ kind: LeaseKind, id: Int64, owner: String) throws(StoreError) {
        let sql = "DELETE FROM lease WHERE kind = ?1 AND item_id = ?2 AND owner = ?3"
        try run(
            "releasing the \(kind.rawValue) lease of \(id)", sql,
            [SQLValue(kind.rawValue), SQLValue(id), SQLValue(owner)])
    }

    /// Gives back every lease `owner` holds (a process that stops cleanly).
    public func releaseLeases(owner: String) throws(StoreError) {
        try run("releasing the leases of \(owner)", "DELETE FROM lease WHERE owner = ?1", [SQLValue(owner)])
    }

    /// Who holds the lease on `kind` `id`, expired or not; nil when nobody does.
    public func leaseHolder(_ kind: LeaseKind, id: Int64) throws(StoreError) -> LeaseHolder? {
        let sql = "SELECT owner, expires_at FROM lease WHERE kind = ?1 AND item_id = ?2"
        return try queryFirst(
            "reading the \(kind.rawValue) lease of \(id)", sql, [SQLValue(kind.rawValue), SQLValue(id)]
        ) {
            row throws(StoreError) in LeaseHolder(owner: row.text(0), expiresAt: try row.date(1))
        }
    }

    /// How many pages of `pageSize` detail ids of the bulk change that still hold unsettled rows
    /// (PENDING, PROCESSING or AWAITING_CONFIRMATION) are leased now (`LeaseKind.detailPage`, keyed
    /// by detail id / `pageSize`): pages another worker is still sending or confirming.
    public func leasedPages(bulkChangeID: Int64, pageSize: Int64, now: Date) throws(StoreError) -> Int {
        let sql = """
            SELECT COUNT(*) FROM lease
            WHERE kind = ?2 AND expires_at > ?3 AND item_id IN (
                SELECT id / \(pageSize) FROM bulk_change_detail
                WHERE bulk_change_id = ?1 AND status IN ('PENDING', 'PROCESSING', 'AWAITING_CONFIRMATION'))
            """
        return try queryFirst(
            "counting the leased pages of bulk change \(bulkChangeID)", sql,
            [SQLValue(bulkChangeID), SQLValue(LeaseKind.detailPage.rawValue), SQLValue(now)]
        ) { $0.int(0) } ?? 0
    }

    /// How many unexpired leases each owner holds, for `status`.
    public func liveLeases(now: Date) throws(StoreError) -> [String: Int] {
        let sql = "SELECT owner, COUNT(*) FROM lease WHERE expires_at > ?1 GROUP BY owner"
        let rows = try query("counting the live leases", sql, [SQLValue(now)]) { ($0.text(0), $0.int(1)) }
        return Dictionary(rows) { first, _ in first }
    }
}
