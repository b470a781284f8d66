import Foundation

extension StoreConnection {
    /// Queues a SCHEDULED detail whose change the scheduler sends through its processor on
    /// `effectiveDate`, and returns the entry's id.
    ///
    /// - Throws: `StoreError.constraintViolation` for an unknown detail or one queued already.
    public func enqueueScheduledChange(detailID: Int64, effectiveDate: Date) throws(StoreError) -> Int64 {
        let sql = "INSERT INTO scheduled_change (detail_id, effective_date) VALUES (?1, ?2)"
        return try insert(
            "queueing the scheduled change of detail \(detailID)", sql, [SQLValue(detailID), SQLValue(effectiveDate)])
    }

    /// Entries of both queues due by `date` that no run has taken up, oldest effective date first,
    /// at most `limit`. Entries of a bulk change still PENDING or PROCESSING wait for it to end.
    public func dueScheduledEntries(asOf date: Date, limit: Int) throws(StoreError) -> [DueScheduledEntry] {
        let sql = """
            SELECT 'RATE_PLAN', q.id, q.detail_id, d.bulk_change_id, q.effective_date
            FROM rate_plan_queue AS q JOIN bulk_change_detail AS d ON d.id = q.detail_id
                JOIN bulk_change AS b ON b.id = d.bulk_change_id
            WHERE q.applied_at IS NULL AND q.run_id IS NULL AND q.effective_date <= ?1
                AND b.status NOT IN ('PENDING', 'PROCESSING')
            UNION ALL
            SELECT 'CARRIER', s.id, s.detail_id, d.bulk_change_id, s.effective_date
            FROM scheduled_change AS s JOIN bulk_change_detail AS d ON d.id = s.detail_id
                JOIN bulk_change AS b ON b.id = d.bulk_change_id
            WHERE s.run_id IS NULL AND s.effective_date <= ?1 AND b.status NOT IN ('PENDING', 'PROCESSING')
            ORDER BY 5, 1, 2 LIMIT ?2
            """
        return try query("finding due scheduled changes", sql, [SQLValue(date), SQLValue(limit)]) {
            row throws(StoreError) in
            guard let queue = DueScheduledEntry.Queue(rawValue: row.text(0)) else {
                throw .invalidValue(field: "queue", value: row.text(0), expected: "RATE_PLAN or CARRIER")
            }
            return DueScheduledEntry(
                queue: queue, id: row.int64(1), detailID: row.int64(2), bulkChangeID: row.int64(3),
                effectiveDate: try row.date(4))
        }
    }

    /// Records a new scheduler run and returns its id.
    public func createScheduleRun(at date: Date) throws(StoreError) -> Int64 {
        try insert("recording a scheduler run", "INSERT INTO schedule_run (started_at) VALUES (?1)", [SQLValue(date)])
    }

    /// Gives a queued carrier change to run `runID`.
    ///
    /// - Throws: `StoreError.alreadyApplied` when a run took it up before.
    public func takeUpScheduledChange(id: Int64, runID: Int64) throws(StoreError) {
        let sql = "UPDATE scheduled_change SET run_id = ?2 WHERE id = ?1 AND run_id IS NULL"
        guard try run("taking up scheduled change \(id)", sql, [SQLValue(id), SQLValue(runID)]) == 1 else {
            throw .alreadyApplied(queueID: id)
        }
    }

    /// The runs whose report is not made yet, oldest first.
    public func openScheduleRuns() throws(StoreError) -> [ScheduleRun] {
        let sql = "SELECT id, started_at, reported_at FROM schedule_run WHERE reported_at IS NULL ORDER BY id"
        return try query("finding unreported scheduler runs", sql) { row throws(StoreError) in
            ScheduleRun(id: row.int64(0), startedAt: try row.date(1), reportedAt: try row.optionalDate(2))
        }
    }

    /// Every row the run took up, from either queue, by bulk change and row number.
    public func scheduleRunRows(runID: Int64) throws(StoreError) -> [ScheduleRunRow] {
        let sql = """
            SELECT d.id, d.bulk_change_id, d.row_number, d.iccid, NULL, d.status, d.attempts, d.message, d.old_value,
                d.new_value, d.processed_at, b.tenant_id, b.change_type, b.source_file_name
            FROM bulk_change_detail AS d JOIN bulk_change AS b ON b.id = d.bulk_change_id
            WHERE d.id IN (SELECT detail_id FROM rate_plan_queue WHERE run_id = ?1
                UNION SELECT detail_id FROM scheduled_change WHERE run_id = ?1)
            ORDER BY d.bulk_change_id, d.row_number
            """
        return try query("reading the rows of scheduler run \(runID)", sql, [SQLValue(runID)]) {
            row throws(StoreError) in
            ScheduleRunRow(
                detail: try Self.detail(from: row), tenantID: row.int64(11), changeType: row.text(12),
                sourceFileName: row.text(13))
        }
    }

    /// Records that the run's report is made.
    public func markScheduleRunReported(id: Int64, at date: Date) throws(StoreError) {
        let sql = "UPDATE schedule_run SET reported_at = ?2 WHERE id = ?1"
        guard try run("marking scheduler run \(id) reported", sql, [SQLValue(id), SQLValue(date)]) == 1 else {
            throw .notFound(kind: "scheduler run", id: id)
        }
    }
}
