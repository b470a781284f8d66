import Foundation

extension StoreConnection {
    /// Puts a PROCESSING detail in AWAITING_CONFIRMATION with what its confirmation looks for,
    /// and what the row says meanwhile.
    ///
    /// - Throws: `StoreError.detailTransition` when the detail is not PROCESSING.
    public func awaitConfirmation(
        _ record: ConfirmationRecord, message: String, oldValue: String?, newValue: String?
    ) throws(StoreError) {
        let move = """
            UPDATE bulk_change_detail SET status = 'AWAITING_CONFIRMATION', message = ?2, old_value = ?3,
                new_value = ?4
            WHERE id = ?1 AND status = 'PROCESSING'
            """
        let operation = "moving detail \(record.detailID) to AWAITING_CONFIRMATION"
        let moveValues = [SQLValue(record.detailID), SQLValue(message), SQLValue(oldValue), SQLValue(newValue)]
        if try run(operation, move, moveValues) == 0 {
            throw try refusedDetailTransition(record.detailID, to: "AWAITING_CONFIRMATION")
        }
        let sql = """
            INSERT INTO confirmation (detail_id, bulk_change_id, provider_id, iccid, expectation, result, accepted_at,
                applied_later, resent, checks, next_check_at, settle_by)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """
        let values = [
            SQLValue(record.detailID), SQLValue(record.bulkChangeID), SQLValue(record.providerID),
            SQLValue(record.iccid), SQLValue(record.expectation), SQLValue(record.result), SQLValue(record.acceptedAt),
            SQLValue(record.appliedLater), SQLValue(record.resent), SQLValue(record.checks),
            SQLValue(record.nextCheckAt), SQLValue(record.settleBy),
        ]
        try run("recording what detail \(record.detailID) waits for", sql, values)
    }

    /// The confirmations a bulk change still waits for, by detail id.
    public func confirmations(bulkChangeID: Int64) throws(StoreError) -> [ConfirmationRecord] {
        let sql = Self.selectConfirmation + " WHERE bulk_change_id = ?1 ORDER BY detail_id"
        return try query("reading the confirmations of bulk change \(bulkChangeID)", sql, [SQLValue(bulkChangeID)]) {
            row throws(StoreError) in try Self.confirmation(from: row)
        }
    }

    /// The confirmations of the given details (those still awaiting; others are left out).
    public func confirmations(detailIDs: [Int64]) throws(StoreError) -> [ConfirmationRecord] {
        var found: [ConfirmationRecord] = []
        for start in stride(from: 0, to: detailIDs.count, by: Self.idsPerQuery) {
            let slice = Array(detailIDs[start..<min(start + Self.idsPerQuery, detailIDs.count)])
            let marks = slice.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
            let sql = Self.selectConfirmation + " WHERE detail_id IN (\(marks)) ORDER BY detail_id"
            found += try query("reading confirmations", sql, slice.map { SQLValue($0) }, cached: false) {
                row throws(StoreError) in try Self.confirmation(from: row)
            }
        }
        return found
    }

    /// Confirmations whose next check is due by `date`, oldest due first, at most `limit`; only
    /// those of bulk changes no run is working on (a run confirms its own rows).
    public func dueConfirmations(asOf date: Date, limit: Int) throws(StoreError) -> [ConfirmationRecord] {
        let sql =
            Self.selectConfirmation
                + """
                 WHERE next_check_at <= ?1
                    AND bulk_change_id IN (SELECT id FROM bulk_change WHERE status != 'PROCESSING')
                ORDER BY next_check_at, detail_id LIMIT ?2
                """
        return try query("finding the confirmations due", sql, [SQLValue(date), SQLValue(limit)]) {
            row throws(StoreError) in try Self.confirmation(from: row)
        }
    }

    /// Records a check that did not confirm the change yet, and when to look again.
    ///
    /// - Throws: `StoreError.notFound` when the detail no longer awaits confirmation.
    public func rescheduleConfirmation(detailID: Int64, checks: Int, resent: Int, nextCheckAt: Date)
        throws(StoreError)
    {
        let sql = "UPDATE confirmation SET checks = ?2, resent = ?3, next_check_at = ?4 WHERE detail_id = ?1"
        let values = [SQLValue(detailID), SQLValue(checks), SQLValue(resent), SQLValue(nextCheckAt)]
        guard try run("rescheduling the confirmation of detail \(detailID)", sql, values) == 1 else {
            throw .notFound(kind: "confirmation of detail", id: detailID)
        }
    }

    /// Removes a detail's confirmation once its outcome is recorded.
    public func removeConfirmation(detailID: Int64) throws(StoreError) {
        try run(
            "removing the confirmation of detail \(detailID)", "DELETE FROM confirmation WHERE detail_id = ?1",
            [
                SQLValue(detailID)
            ])
    }

    private static let selectConfirmation = """
        SELECT detail_id, bulk_change_id, provider_id, iccid, expectation, result, accepted_at, applied_later, resent,
            checks, next_check_at, settle_by
        FROM confirmation
        """

    private static func confirmation(from row: Row) throws(StoreError) -> ConfirmationRecord {
        ConfirmationRecord(
            detailID: row.int64(0), bulkChangeID: row.int64(1), providerID: row.int64(2), iccid: row.text(3),
            expectation: row.text(4), result: row.text(5), acceptedAt: try row.date(6), appliedLater: row.int(7) != 0,
            resent: row.int(8), checks: row.int(9), nextCheckAt: try row.date(10), settleBy: try row.date(11))
    }
}
