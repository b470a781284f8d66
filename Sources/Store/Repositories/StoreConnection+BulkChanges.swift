import Foundation

extension StoreConnection {
    /// Stores a new bulk change in status PENDING and returns its id.
    ///
    /// - Throws: `StoreError.constraintViolation` for an unknown tenant or provider.
    public func createBulkChange(_ change: NewBulkChange) throws(StoreError) -> Int64 {
        let sql = """
            INSERT INTO bulk_change (tenant_id, provider_id, change_type, source_file_name, content_hash, status,
                created_at, input_columns, warnings)
            VALUES (?1, ?2, ?3, ?4, ?5, 'PENDING', ?6, ?7, ?8)
            """
        return try insert(
            "creating the bulk change for \(change.sourceFileName)", sql,
            [
                SQLValue(change.tenantID), SQLValue(change.providerID), SQLValue(change.changeType),
                SQLValue(change.sourceFileName), SQLValue(change.contentHash), SQLValue(change.createdAt),
                SQLValue(TextList.text(change.inputColumns)), SQLValue(TextList.text(change.warnings)),
            ])
    }

    /// The bulk change with that id, with its detail counts.
    public func bulkChange(id: Int64) throws(StoreError) -> BulkChangeRecord? {
        let change = try queryFirst(
            "reading bulk change \(id)", Self.selectBulkChange + " WHERE id = ?1", [SQLValue(id)]
        ) {
            row throws(StoreError) in try Self.bulkChange(from: row)
        }
        return try change.map { record throws(StoreError) in try withCounts(record) }
    }

    /// The tenant's bulk changes made from a file with that content hash, oldest first.
    public func bulkChanges(tenantID: Int64, contentHash: String) throws(StoreError) -> [BulkChangeRecord] {
        let sql = Self.selectBulkChange + " WHERE tenant_id = ?1 AND content_hash = ?2 ORDER BY id"
        let changes = try query("finding bulk changes by content", sql, [SQLValue(tenantID), SQLValue(contentHash)]) {
            row throws(StoreError) in try Self.bulkChange(from: row)
        }
        return try withCounts(changes)
    }

    /// The bulk changes in `status` (PENDING, PROCESSING, AWAITING_CONFIRMATION, PROCESSED,
    /// COMPLETED_WITH_ERRORS or FAILED), oldest first, with their detail counts unless `counted`
    /// is false (counting reads every detail of each).
    ///
    /// - Throws: `StoreError.invalidValue` for another status.
    public func bulkChanges(status: String, counted: Bool = true) throws(StoreError) -> [BulkChangeRecord] {
        guard Self.bulkChangeStatuses.contains(status) else {
            throw .invalidValue(
                field: "bulk change status", value: status,
                expected: "PENDING, PROCESSING, AWAITING_CONFIRMATION, PROCESSED, COMPLETED_WITH_ERRORS or FAILED")
        }
        let sql = Self.selectBulkChange + " WHERE status = ?1 ORDER BY created_at, id"
        let changes = try query("finding \(status) bulk changes", sql, [SQLValue(status)]) { row throws(StoreError) in
            try Self.bulkChange(from: row)
        }
        return counted ? try withCounts(changes) : changes
    }

    /// The `limit` most recently created bulk changes of every status, of one tenant or of all,
    /// with their detail counts, newest first.
    ///
    /// - Throws: `StoreError.invalidValue` for a negative limit.
    public func recentBulkChanges(limit: Int, tenantID: Int64? = nil) throws(StoreError) -> [BulkChangeRecord] {
        guard limit >= 0 else {
            throw .invalidValue(field: "number of bulk changes", value: "\(limit)", expected: "0 or more")
        }
        let filter = tenantID == nil ? "" : " WHERE tenant_id = ?2"
        let sql = Self.selectBulkChange + filter + " ORDER BY created_at DESC, id DESC LIMIT ?1"
        let values = [SQLValue(limit)] + (tenantID.map { [SQLValue($0)] } ?? [])
        let changes = try query("reading the recent bulk changes", sql, values) { row throws(StoreError) in
            try Self.bulkChange(from: row)
        }
        return try withCounts(changes)
    }

    /// Moves the bulk change to PROCESSING; the first start time is kept when it is resumed.
    ///
    /// - Throws: `StoreError.notFound` for an unknown id.
    public func markBulkChangeStarted(id: Int64, at date: Date) throws(StoreError) {
        let sql = "UPDATE bulk_change SET status = 'PROCESSING', started_at = COALESCE(started_at, ?2) WHERE id = ?1"
        guard try run("starting bulk change \(id)", sql, [SQLValue(id), SQLValue(date)]) == 1 else {
            throw .notFound(kind: "bulk change", id: id)
        }
    }

    /// Derives the bulk change's status from its details and returns the result; details are
    /// only read, never written.
    ///
    /// Any detail PENDING or PROCESSING → PROCESSING (and no finish time); else any AWAITING_CONFIRMATION →
    /// AWAITING_CONFIRMATION (and no finish time); every detail FAILED or REJECTED → FAILED; some of
    /// them, or a NEEDS_CHECK → COMPLETED_WITH_ERRORS; otherwise (also with no details) PROCESSED.
    ///
    /// - Throws: `StoreError.notFound` for an unknown id.
    public func finishBulkChange(id: Int64, at date: Date) throws(StoreError) -> BulkChangeRecord {
        let derive = """
            UPDATE bulk_change SET status = (
                SELECT CASE
                    WHEN COUNT(*) = 0 THEN 'PROCESSED'
                    WHEN COUNT(CASE WHEN d.status IN ('PENDING', 'PROCESSING') THEN 1 END) > 0 THEN 'PROCESSING'
                    WHEN COUNT(CASE WHEN d.status = 'AWAITING_CONFIRMATION' THEN 1 END) > 0 THEN 'AWAITING_CONFIRMATION'
                    WHEN COUNT(CASE WHEN d.status IN ('FAILED', 'REJECTED') THEN 1 END) = COUNT(*) THEN 'FAILED'
                    WHEN COUNT(CASE WHEN d.status IN ('FAILED', 'REJECTED', 'NEEDS_CHECK') THEN 1 END) > 0 THEN 'COMPLETED_WITH_ERRORS'
                    ELSE 'PROCESSED'
                END
                FROM bulk_change_detail AS d WHERE d.bulk_change_id = ?1)
            WHERE id = ?1
            """
        guard try run("finishing bulk change \(id)", derive, [SQLValue(id)]) == 1 else {
            throw .notFound(kind: "bulk change", id: id)
        }
        let stamp = """
            UPDATE bulk_change
            SET finished_at = CASE WHEN status IN ('PROCESSING', 'AWAITING_CONFIRMATION') THEN NULL ELSE ?2 END
            WHERE id = ?1
            """
        try run("finishing bulk change \(id)", stamp, [SQLValue(id), SQLValue(date)])
        guard let change = try bulkChange(id: id) else { throw .notFound(kind: "bulk change", id: id) }
        return change
    }

    private func withCounts(_ change: BulkChangeRecord) throws(StoreError) -> BulkChangeRecord {
        let sql = "SELECT status, COUNT(*) FROM bulk_change_detail WHERE bulk_change_id = ?1 GROUP BY status"
        var change = change
        for (status, count) in try query("counting details", sql, [SQLValue(change.id)], { ($0.text(0), $0.int(1)) }) {
            change.counts[status] = count
        }
        return change
    }

    private func withCounts(_ changes: [BulkChangeRecord]) throws(StoreError) -> [BulkChangeRecord] {
        var result: [BulkChangeRecord] = []
        result.reserveCapacity(changes.count)
        for change in changes { result.append(try withCounts(change)) }
        return result
    }

    private static let bulkChangeStatuses: Set = [
        "PENDING", "PROCESSING", "AWAITING_CONFIRMATION", "PROCESSED", "COMPLETED_WITH_ERRORS", "FAILED",
    ]

    private static let selectBulkChange = """
        SELECT id, tenant_id, provider_id, change_type, source_file_name, content_hash, status, created_at,
            started_at, finished_at, input_columns, warnings, result_stem
        FROM bulk_change
        """

    private static func bulkChange(from row: Row) throws(StoreError) -> BulkChangeRecord {
        BulkChangeRecord(
            id: row.int64(0), tenantID: row.int64(1), providerID: row.int64(2), changeType: row.text(3),
            sourceFileName: row.text(4), contentHash: row.text(5), status: row.text(6), createdAt: try row.date(7),
            startedAt: try row.optionalDate(8), finishedAt: try row.optionalDate(9),
            inputColumns: try TextList.list(row.optionalText(10), field: "bulk_change.input_columns"),
            warnings: try TextList.list(row.optionalText(11), field: "bulk_change.warnings"),
            resultStem: row.optionalText(12))
    }
}
