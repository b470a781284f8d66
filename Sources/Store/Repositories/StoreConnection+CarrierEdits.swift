import Foundation

extension StoreConnection {
    /// Records an edit before it is sent (normally SENDING) and returns its id.
    ///
    /// - Throws: `StoreError.constraintViolation` for an unknown detail or an attempt below 1.
    public func recordCarrierEdit(_ edit: CarrierEditRecord) throws(StoreError) -> Int64 {
        let sql = """
            INSERT INTO carrier_edit (detail_id, step, iccid, request_json, undo_json, effective_date, attempt, state,
                sent_at, answered_at, response_status, note)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """
        let values = [
            SQLValue(edit.detailID), SQLValue(edit.step), SQLValue(edit.iccid), SQLValue(edit.requestJSON),
            SQLValue(edit.undoJSON), SQLValue(edit.effectiveDate), SQLValue(edit.attempt),
            SQLValue(edit.state.rawValue), SQLValue(edit.sentAt),
            SQLValue(edit.answeredAt), SQLValue(edit.responseStatus), SQLValue(edit.note),
        ]
        return try insert("recording the \(edit.step) edit of detail \(edit.detailID)", sql, values)
    }

    /// Records what came back for attempt `attempt` of a detail's step, which must be SENDING.
    ///
    /// - Throws: `StoreError.notFound` when that attempt is not SENDING: an answer is recorded once.
    public func recordCarrierAnswer(
        detailID: Int64, step: String, attempt: Int, state: CarrierEditState, at date: Date, responseStatus: Int?,
        note: String?
    ) throws(StoreError) {
        let sql = """
            UPDATE carrier_edit SET state = ?4, answered_at = ?5, response_status = ?6, note = ?7
            WHERE detail_id = ?1 AND step = ?2 AND attempt = ?3 AND state = 'SENDING'
            """
        let values = [
            SQLValue(detailID), SQLValue(step), SQLValue(attempt), SQLValue(state.rawValue), SQLValue(date),
            SQLValue(responseStatus), SQLValue(note),
        ]
        guard try run("recording the answer to the \(step) edit of detail \(detailID)", sql, values) == 1 else {
            throw .notFound(kind: "carrier edit being sent for detail", id: detailID)
        }
    }

    /// Every edit recorded for the details, oldest first, by detail.
    public func carrierEdits(detailIDs: [Int64]) throws(StoreError) -> [Int64: [CarrierEditRecord]] {
        var edits: [Int64: [CarrierEditRecord]] = [:]
        for start in stride(from: 0, to: detailIDs.count, by: Self.idsPerQuery) {
            let slice = Array(detailIDs[start..<min(start + Self.idsPerQuery, detailIDs.count)])
            let marks = slice.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
            let sql = Self.selectCarrierEdit + " WHERE detail_id IN (\(marks)) ORDER BY id"
            let rows = try query("reading carrier edits", sql, slice.map { SQLValue($0) }, cached: false) {
                row throws(StoreError) in try Self.carrierEdit(from: row)
            }
            for edit in rows { edits[edit.detailID, default: []].append(edit) }
        }
        return edits
    }

    /// The future-dated edits recorded for the device `iccid` that Control Center accepted (or may
    /// have: unanswered) and that take effect after `date`: changes still pending on the carrier,
    /// oldest first.
    public func scheduledCarrierEdits(iccid: String, after date: Date) throws(StoreError) -> [CarrierEditRecord] {
        let sql =
            Self.selectCarrierEdit
            + " WHERE iccid = ?1 AND effective_date > ?2 AND state IN ('SENDING', 'ACCEPTED', 'ACCEPTED_LATER', 'UNKNOWN')"
            + " ORDER BY id"
        return try query("reading the scheduled edits of \(iccid)", sql, [SQLValue(iccid), SQLValue(date)]) {
            row throws(StoreError) in try Self.carrierEdit(from: row)
        }
    }

    /// Ids bound per IN query, well under SQLite's limit of variables.
    static let idsPerQuery = 500

    private static let selectCarrierEdit = """
        SELECT id, detail_id, step, iccid, request_json, effective_date, attempt, state, sent_at, answered_at,
            response_status, note, undo_json
        FROM carrier_edit
        """

    private static func carrierEdit(from row: Row) throws(StoreError) -> CarrierEditRecord {
        let stateText = row.text(7)
        guard let state = CarrierEditState(rawValue: stateText) else {
            throw .invalidValue(field: "carrier_edit.state", value: stateText, expected: "a carrier edit state")
        }
        return CarrierEditRecord(
            id: row.int64(0), detailID: row.int64(1), step: row.text(2), iccid: row.text(3),
            requestJSON: row.text(4), undoJSON: row.optionalText(12), effectiveDate: try row.optionalDate(5),
            attempt: row.int(6), state: state,
            sentAt: try row.date(8), answeredAt: try row.optionalDate(9), responseStatus: row.optionalInt(10),
            note: row.optionalText(11))
    }
}
