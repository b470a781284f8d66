extension StoreConnection {
    /// Stores one log entry, with secrets scrubbed from its texts (see `SecretScrubber`).
    ///
    /// - Throws: `StoreError.constraintViolation` for an unknown detail.
    public func appendLog(_ entry: LogEntry) throws(StoreError) {
        let sql = """
            INSERT INTO detail_log (detail_id, description, request_text, response_text, response_status, is_error,
                portal, logged_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            """
        let values = [
            SQLValue(entry.detailID), SQLValue(SecretScrubber.scrub(entry.description)),
            SQLValue(SecretScrubber.scrub(entry.requestText)), SQLValue(SecretScrubber.scrub(entry.responseText)),
            SQLValue(entry.responseStatus.map(Int64.init)), SQLValue(entry.isError), SQLValue(entry.portal.rawValue),
            SQLValue(entry.at),
        ]
        try run("logging for detail \(entry.detailID)", sql, values)
    }

    /// Stores several log entries, in order.
    public func appendLogs(_ entries: [LogEntry]) throws(StoreError) {
        for entry in entries { try appendLog(entry) }
    }

    /// The detail's log entries in the order they were appended.
    public func logs(detailID: Int64) throws(StoreError) -> [LogEntry] {
        let sql = """
            SELECT detail_id, description, request_text, response_text, response_status, is_error, portal, logged_at
            FROM detail_log WHERE detail_id = ?1 ORDER BY id
            """
        return try query("reading the log of detail \(detailID)", sql, [SQLValue(detailID)]) { row throws(StoreError) in
            guard let portal = Portal(rawValue: row.text(6)) else {
                throw .invalidValue(field: "detail_log.portal", value: row.text(6), expected: "M2M or Mobility")
            }
            return LogEntry(
                detailID: row.int64(0), description: row.text(1), requestText: row.text(2), responseText: row.text(3),
                responseStatus: row.optionalInt(4), isError: row.bool(5), portal: portal, at: try row.date(7))
        }
    }
}
