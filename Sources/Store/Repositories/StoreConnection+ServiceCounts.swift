import Foundation

extension StoreConnection {
    /// The service's totals: files per tenant and status, rows per change type and outcome, the
    /// confirmation backlog, notifications per status and live leases per kind.
    ///
    /// Counting rows reads every detail, a scan of the detail table (about a second for a million
    /// rows on SQLite); with `countingRows` false `rowsByChangeType` stays empty.
    public func serviceCounts(now: Date, countingRows: Bool = true) throws(StoreError) -> ServiceCounts {
        let files = """
            SELECT t.name, l.status, COUNT(*) FROM file_ledger AS l JOIN tenant AS t ON t.id = l.tenant_id
            GROUP BY t.name, l.status ORDER BY t.name, l.status
            """
        let rows = """
            SELECT b.change_type, d.status, COUNT(*)
            FROM bulk_change_detail AS d JOIN bulk_change AS b ON b.id = d.bulk_change_id
            GROUP BY b.change_type, d.status ORDER BY b.change_type, d.status
            """
        let count: (Row) -> ServiceCounts.Count = { .init(first: $0.text(0), second: $0.text(1), count: $0.int(2)) }
        let backlog = try queryFirst("counting the confirmation backlog", "SELECT COUNT(*) FROM confirmation") {
            $0.int(0)
        }
        let leases = try query(
            "counting the live leases by kind", "SELECT kind, COUNT(*) FROM lease WHERE expires_at > ?1 GROUP BY kind",
            [SQLValue(now)]
        ) { ($0.text(0), $0.int(1)) }
        return ServiceCounts(
            filesByTenant: try query("counting files by tenant", files) { count($0) },
            rowsByChangeType: countingRows ? try query("counting rows by change type", rows) { count($0) } : [],
            confirmationBacklog: backlog ?? 0,
            notifications: try notificationCounts(),
            leases: Dictionary(uniqueKeysWithValues: leases))
    }
}
