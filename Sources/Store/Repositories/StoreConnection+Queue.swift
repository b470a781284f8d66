import Foundation

extension StoreConnection {
    /// Queues a scheduled customer rate plan change and returns its id.
    ///
    /// - Throws: `StoreError.constraintViolation` for an unknown detail or device.
    public func enqueue(_ change: QueuedRatePlanChange) throws(StoreError) -> Int64 {
        let sql = """
            INSERT INTO rate_plan_queue (detail_id, device_id, customer_rate_plan, customer_pool, data_allocation_mb,
                effective_date, applied_at, outcome, message)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """
        let values = [
            SQLValue(change.detailID), SQLValue(change.deviceID), SQLValue(change.customerRatePlan),
            SQLValue(change.customerPool), SQLValue(change.dataAllocationMB), SQLValue(change.effectiveDate),
            SQLValue(change.appliedAt), SQLValue(change.outcome), SQLValue(change.message),
        ]
        return try insert("queueing a rate plan change for device \(change.deviceID)", sql, values)
    }

    /// The changes not applied yet whose effective date is at or before `date`, oldest first.
    public func dueRatePlanChanges(asOf date: Date) throws(StoreError) -> [QueuedRatePlanChange] {
        let sql = Self.selectQueued + " WHERE applied_at IS NULL AND effective_date <= ?1 ORDER BY effective_date, id"
        return try query("finding due rate plan changes", sql, [SQLValue(date)]) { row throws(StoreError) in
            try Self.queued(from: row)
        }
    }

    /// The queued change with that id.
    public func queuedRatePlanChange(id: Int64) throws(StoreError) -> QueuedRatePlanChange? {
        try queryFirst("reading queued change \(id)", Self.selectQueued + " WHERE id = ?1", [SQLValue(id)]) {
            row throws(StoreError) in try Self.queued(from: row)
        }
    }

    /// Records that the scheduler applied a queued change, with its outcome and the scheduler run
    /// that applied it (reported with that run).
    ///
    /// - Throws: `StoreError.alreadyApplied` when it was applied before, `.notFound` for an unknown id.
    public func markApplied(queueID: Int64, outcome: String, message: String?, at date: Date, runID: Int64? = nil)
        throws(StoreError)
    {
        let sql = """
            UPDATE rate_plan_queue SET applied_at = ?2, outcome = ?3, message = ?4, run_id = ?5
            WHERE id = ?1 AND applied_at IS NULL
            """
        let values = [SQLValue(queueID), SQLValue(date), SQLValue(outcome), SQLValue(message), SQLValue(runID)]
        guard try run("marking queued change \(queueID) applied", sql, values) == 0 else { return }
        let exists = try queryFirst(
            "reading queued change \(queueID)", "SELECT 1 FROM rate_plan_queue WHERE id = ?1", [SQLValue(queueID)]
        ) { _ in true }
        throw exists == true
            ? .alreadyApplied(queueID: queueID) : .notFound(kind: "queued rate plan change", id: queueID)
    }

    /// Every queued change of the device, applied or not, by effective date.
    public func queuedRatePlanChanges(deviceID: Int64) throws(StoreError) -> [QueuedRatePlanChange] {
        let sql = Self.selectQueued + " WHERE device_id = ?1 ORDER BY effective_date, id"
        return try query("reading queued changes of device \(deviceID)", sql, [SQLValue(deviceID)]) {
            row throws(StoreError) in try Self.queued(from: row)
        }
    }

    private static let selectQueued = """
        SELECT id, detail_id, device_id, customer_rate_plan, customer_pool, data_allocation_mb, effective_date,
            applied_at, outcome, message
        FROM rate_plan_queue
        """

    private static func queued(from row: Row) throws(StoreError) -> QueuedRatePlanChange {
        QueuedRatePlanChange(
            id: row.int64(0), detailID: row.int64(1), deviceID: row.int64(2), customerRatePlan: row.optionalText(3),
            customerPool: row.optionalText(4), dataAllocationMB: row.optionalDouble(5),
            effectiveDate: try row.date(6), appliedAt: try row.optionalDate(7), outcome: row.optionalText(8),
            message: row.optionalText(9))
    }
}
