import Foundation

extension StoreConnection {
    /// Stores one detail per input row and returns their ids in the given order.
    ///
    /// - Throws: `StoreError.invalidValue` for a status other than PENDING or REJECTED,
    ///   `.constraintViolation` for an unknown bulk change or a repeated row number.
    public func insertDetails(bulkChangeID: Int64, _ details: [NewDetail]) throws(StoreError) -> [Int64] {
        if let refused = details.first(where: { !Self.insertableStatuses.contains($0.status) }) {
            throw .invalidValue(
                field: "status of row \(refused.rowNumber)", value: refused.status, expected: "PENDING or REJECTED")
        }
        var ids: [Int64] = []
        ids.reserveCapacity(details.count)
        var start = 0
        while start < details.count {
            let batch = details[start..<min(start + engine.rowsPerInsert, details.count)]
            start = batch.endIndex
            ids += try insertBatch(batch, bulkChangeID: bulkChangeID)
        }
        return ids
    }

    /// One INSERT of the rows of `batch`; the ids in the batch's order (matched by row number, which
    /// is unique in a bulk change, since RETURNING promises no order).
    private func insertBatch(_ batch: ArraySlice<NewDetail>, bulkChangeID: Int64) throws(StoreError) -> [Int64] {
        let tuples = (0..<batch.count).map { index in
            "(?1, " + (2...7).map { "?\(index * 6 + $0)" }.joined(separator: ", ") + ")"
        }
        let sql = """
            INSERT INTO bulk_change_detail (bulk_change_id, row_number, iccid, request_json, status, message,
                input_cells)
            VALUES \(tuples.joined(separator: ", "))
            RETURNING id, row_number
            """
        var values = [SQLValue(bulkChangeID)]
        values.reserveCapacity(1 + batch.count * 6)
        for detail in batch {
            values += [
                SQLValue(detail.rowNumber), SQLValue(detail.iccid), SQLValue(detail.requestJSON),
                SQLValue(detail.status), SQLValue(detail.message), SQLValue(TextList.text(detail.inputCells)),
            ]
        }
        let first = batch.first?.rowNumber ?? 0
        let stored = try query(
            "storing rows \(first) to \(batch.last?.rowNumber ?? first) of bulk change \(bulkChangeID)", sql, values,
            cached: batch.count == engine.rowsPerInsert
        ) { (row: $0.int(1), id: $0.int64(0)) }
        let byRow = Dictionary(stored) { first, _ in first }
        var ids: [Int64] = []
        for detail in batch {
            guard let id = byRow[detail.rowNumber] else {
                throw .notFound(kind: "stored row \(detail.rowNumber) of bulk change", id: bulkChangeID)
            }
            ids.append(id)
        }
        return ids
    }

    /// The bulk change's details in input row order.
    ///
    /// - Parameter withRequests: `false` leaves `requestJSON` nil, for reading the outcomes of a
    ///   large bulk change without its requests.
    public func details(bulkChangeID: Int64, withRequests: Bool = true) throws(StoreError) -> [DetailRecord] {
        let select =
            withRequests ? Self.selectDetail : Self.selectDetail.replacingOccurrences(of: "request_json", with: "NULL")
        let sql = select + " WHERE bulk_change_id = ?1 ORDER BY row_number"
        return try query("reading the details of bulk change \(bulkChangeID)", sql, [SQLValue(bulkChangeID)]) {
            row throws(StoreError) in try Self.detail(from: row)
        }
    }

    /// The input cells of the bulk change's rows in one of `statuses` (FAILED and REJECTED for the
    /// errors file), by row number; only rows in `rows` when given (one page of a large file).
    public func inputCells(bulkChangeID: Int64, statuses: [String], rows range: ClosedRange<Int>? = nil)
        throws(StoreError) -> [Int: [String]]
    {
        let marks = statuses.indices.map { "?\($0 + 4)" }.joined(separator: ", ")
        let sql = """
            SELECT row_number, input_cells FROM bulk_change_detail
            WHERE bulk_change_id = ?1 AND row_number BETWEEN ?2 AND ?3 AND status IN (\(marks)) ORDER BY row_number
            """
        let bounds = range ?? 0...Int.max
        let values =
            [SQLValue(bulkChangeID), SQLValue(bounds.lowerBound), SQLValue(bounds.upperBound)]
            + statuses.map { SQLValue($0) }
        let rows = try query("reading the input of bulk change \(bulkChangeID)", sql, values, cached: false) {
            row throws(StoreError) in
            (row.int(0), try TextList.list(row.optionalText(1), field: "bulk_change_detail.input_cells"))
        }
        return Dictionary(rows) { first, _ in first }
    }

    /// The detail with that id.
    /// Up to `limit` details of the bulk change after row `afterRow`, in row order, without their
    /// requests: one page of a large bulk change, so its files are written in flat memory.
    public func details(bulkChangeID: Int64, afterRow: Int, limit: Int) throws(StoreError) -> [DetailRecord] {
        let select = Self.selectDetail.replacingOccurrences(of: "request_json", with: "NULL")
        let sql = select + " WHERE bulk_change_id = ?1 AND row_number > ?2 ORDER BY row_number LIMIT ?3"
        return try query(
            "reading details of bulk change \(bulkChangeID) after row \(afterRow)", sql,
            [SQLValue(bulkChangeID), SQLValue(afterRow), SQLValue(limit)]
        ) { row throws(StoreError) in try Self.detail(from: row) }
    }

    /// How many rows the bulk change has, and how many of them are still PENDING or PROCESSING.
    public func detailCounts(bulkChangeID: Int64) throws(StoreError) -> (rows: Int, open: Int) {
        let sql = """
            SELECT COUNT(*), COUNT(CASE WHEN status IN ('PENDING', 'PROCESSING') THEN 1 END) FROM bulk_change_detail
            WHERE bulk_change_id = ?1
            """
        return try queryFirst("counting the rows of bulk change \(bulkChangeID)", sql, [SQLValue(bulkChangeID)]) {
            row in (row.int(0), row.int(1))
        } ?? (0, 0)
    }

    /// Up to `limit` details of the bulk change still PENDING or PROCESSING with an id above
    /// `afterID`, in id order, with their requests: one page of the devices left to process.
    public func openDetails(bulkChangeID: Int64, afterID: Int64, limit: Int) throws(StoreError) -> [DetailRecord] {
        let sql =
            Self.selectDetail
            + " WHERE bulk_change_id = ?1 AND id > ?2 AND status IN ('PENDING', 'PROCESSING') ORDER BY id LIMIT ?3"
        return try query(
            "reading the open details of bulk change \(bulkChangeID)", sql,
            [SQLValue(bulkChangeID), SQLValue(afterID), SQLValue(limit)]
        ) { row throws(StoreError) in try Self.detail(from: row) }
    }

    public func detail(id: Int64) throws(StoreError) -> DetailRecord? {
        try queryFirst("reading detail \(id)", Self.selectDetail + " WHERE id = ?1", [SQLValue(id)]) {
            row throws(StoreError) in try Self.detail(from: row)
        }
    }

    /// Moves a detail from PENDING to PROCESSING.
    ///
    /// - Throws: `StoreError.detailTransition` when it is not PENDING (or does not exist).
    public func markProcessing(detailID: Int64) throws(StoreError) {
        let sql = "UPDATE bulk_change_detail SET status = 'PROCESSING' WHERE id = ?1 AND status = 'PENDING'"
        try transition(detailID, to: "PROCESSING", sql, [SQLValue(detailID)])
    }

    /// Moves a PROCESSING detail back to PENDING: nothing was sent for it (a stop came first).
    ///
    /// - Throws: `StoreError.detailTransition` when it is not PROCESSING.
    public func releaseDetail(detailID: Int64) throws(StoreError) {
        let sql = "UPDATE bulk_change_detail SET status = 'PENDING' WHERE id = ?1 AND status = 'PROCESSING'"
        try transition(detailID, to: "PENDING", sql, [SQLValue(detailID)])
    }

    /// Gives a PROCESSING or AWAITING_CONFIRMATION detail its final status: PROCESSED, SCHEDULED, UNCHANGED,
    /// NEEDS_CHECK, FAILED or REJECTED.
    ///
    /// - Throws: `StoreError.detailTransition` for another status, or when the detail is neither
    ///   PROCESSING nor AWAITING_CONFIRMATION: each detail is finished exactly once.
    public func finishDetail(
        detailID: Int64, status: String, message: String?, oldValue: String?, newValue: String?, attempts: Int,
        at date: Date
    ) throws(StoreError) {
        guard Self.finalStatuses.contains(status) else { throw try refusedDetailTransition(detailID, to: status) }
        let sql = """
            UPDATE bulk_change_detail SET status = ?2, message = ?3, old_value = ?4, new_value = ?5, attempts = ?6,
                processed_at = ?7
            WHERE id = ?1 AND status IN ('PROCESSING', 'AWAITING_CONFIRMATION')
            """
        let values = [
            SQLValue(detailID), SQLValue(status), SQLValue(message), SQLValue(oldValue), SQLValue(newValue),
            SQLValue(attempts), SQLValue(date),
        ]
        try transition(detailID, to: status, sql, values)
    }

    /// Moves a SCHEDULED detail to PROCESSED or FAILED once the scheduler applied (or failed to
    /// apply) its queued change; the only move after a final status.
    ///
    /// - Throws: `StoreError.detailTransition` for another status or a detail that is not SCHEDULED.
    public func updateScheduledDetail(
        detailID: Int64, status: String, message: String?, newValue: String?, at date: Date
    )
        throws(StoreError)
    {
        guard status == "PROCESSED" || status == "FAILED" else {
            throw try refusedDetailTransition(detailID, to: status)
        }
        let sql = """
            UPDATE bulk_change_detail SET status = ?2, message = ?3, new_value = ?4, processed_at = ?5
            WHERE id = ?1 AND status = 'SCHEDULED'
            """
        let values = [SQLValue(detailID), SQLValue(status), SQLValue(message), SQLValue(newValue), SQLValue(date)]
        try transition(detailID, to: status, sql, values)
    }

    /// Moves a SCHEDULED detail back to PENDING: its change is due, and the scheduler processes it
    /// like a row of a new file.
    ///
    /// - Throws: `StoreError.detailTransition` when it is not SCHEDULED.
    public func takeUpScheduledDetail(detailID: Int64) throws(StoreError) {
        let sql = "UPDATE bulk_change_detail SET status = 'PENDING' WHERE id = ?1 AND status = 'SCHEDULED'"
        try transition(detailID, to: "PENDING", sql, [SQLValue(detailID)])
    }

    private static let insertableStatuses: Set = ["PENDING", "REJECTED"]
    private static let finalStatuses: Set = [
        "PROCESSED", "SCHEDULED", "UNCHANGED", "NEEDS_CHECK", "FAILED", "REJECTED",
    ]

    /// Runs a guarded UPDATE and reports a refused transition when it matched no row.
    private func transition(_ detailID: Int64, to status: String, _ sql: String, _ values: [SQLValue])
        throws(StoreError)
    {
        if try run("moving detail \(detailID) to \(status)", sql, values) == 0 {
            throw try refusedDetailTransition(detailID, to: status)
        }
    }

    /// Why moving `detailID` to `status` was refused: its current status, or that it does not exist.
    func refusedDetailTransition(_ detailID: Int64, to status: String) throws(StoreError) -> StoreError {
        let sql = "SELECT status FROM bulk_change_detail WHERE id = ?1"
        let current = try queryFirst("reading the status of detail \(detailID)", sql, [SQLValue(detailID)]) {
            $0.text(0)
        }
        return .detailTransition(detailID: detailID, from: current, to: status)
    }

    private static let selectDetail = """
        SELECT id, bulk_change_id, row_number, iccid, request_json, status, attempts, message, old_value, new_value,
            processed_at
        FROM bulk_change_detail
        """

    static func detail(from row: Row) throws(StoreError) -> DetailRecord {
        DetailRecord(
            id: row.int64(0), bulkChangeID: row.int64(1), rowNumber: row.int(2), iccid: row.text(3),
            requestJSON: row.optionalText(4), status: row.text(5), attempts: row.int(6), message: row.optionalText(7),
            oldValue: row.optionalText(8), newValue: row.optionalText(9), processedAt: try row.optionalDate(10))
    }
}
