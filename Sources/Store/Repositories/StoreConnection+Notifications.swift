import Foundation

extension StoreConnection {
    /// Spools a notification; returns its id, or `nil` when one with the same key is already spooled.
    public func spoolNotification(_ record: NotificationRecord) throws(StoreError) -> Int64? {
        let sql = """
            INSERT INTO notification (dedupe_key, tenant_id, bulk_change_id, recipients, subject, body,
                attachment_name, attachment, status, attempts, next_attempt_at, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11)
            ON CONFLICT (dedupe_key) DO NOTHING
            """
        let values = [
            SQLValue(record.dedupeKey), SQLValue(record.tenantID), SQLValue(record.bulkChangeID),
            SQLValue(record.recipients.joined(separator: ",")), SQLValue(record.subject), SQLValue(record.body),
            SQLValue(record.attachmentName), SQLValue(record.attachment), SQLValue(NotificationStatus.pending.rawValue),
            SQLValue(record.nextAttemptAt), SQLValue(record.createdAt),
        ]
        guard try run("spooling notification \(record.dedupeKey)", sql, values) == 1 else { return nil }
        return try queryFirst(
            "reading notification \(record.dedupeKey)", "SELECT id FROM notification WHERE dedupe_key = ?1",
            [SQLValue(record.dedupeKey)]
        ) { $0.int64(0) }
    }

    /// PENDING notifications whose next attempt is due by `date`, oldest first.
    public func dueNotifications(asOf date: Date) throws(StoreError) -> [NotificationRecord] {
        let sql = Self.selectNotification + " WHERE status = 'PENDING' AND next_attempt_at <= ?1 ORDER BY id"
        return try query("finding due notifications", sql, [SQLValue(date)]) { row throws(StoreError) in
            try Self.notification(from: row)
        }
    }

    /// The notification with that id when it is still due by `date` (PENDING and its next attempt
    /// come), else nil: read again after its lease is taken, since another process may have sent
    /// it meanwhile.
    public func dueNotification(id: Int64, asOf date: Date) throws(StoreError) -> NotificationRecord? {
        let sql = Self.selectNotification + " WHERE id = ?1 AND status = 'PENDING' AND next_attempt_at <= ?2"
        return try queryFirst("reading notification \(id)", sql, [SQLValue(id), SQLValue(date)]) {
            row throws(StoreError) in try Self.notification(from: row)
        }
    }

    /// How many notifications there are in each status (raw value: PENDING, SENT, DEAD), without
    /// reading their messages.
    public func notificationCounts() throws(StoreError) -> [String: Int] {
        let counts = try query("counting notifications", "SELECT status, COUNT(*) FROM notification GROUP BY status") {
            ($0.text(0), $0.int(1))
        }
        return Dictionary(uniqueKeysWithValues: counts)
    }

    /// Notifications in a status, oldest first.
    public func notifications(status: NotificationStatus) throws(StoreError) -> [NotificationRecord] {
        let sql = Self.selectNotification + " WHERE status = ?1 ORDER BY id"
        return try query("listing \(status.rawValue) notifications", sql, [SQLValue(status.rawValue)]) {
            row throws(StoreError) in try Self.notification(from: row)
        }
    }

    /// Records a delivered notification.
    public func markNotificationSent(id: Int64, at date: Date) throws(StoreError) {
        let sql = "UPDATE notification SET status = 'SENT', attempts = attempts + 1, sent_at = ?2 WHERE id = ?1"
        try run("recording notification \(id) as sent", sql, [SQLValue(id), SQLValue(date)])
    }

    /// Records a failed attempt: PENDING again at `nextAttemptAt`, or DEAD when `giveUp`.
    public func markNotificationFailed(id: Int64, error: String, nextAttemptAt: Date, giveUp: Bool) throws(StoreError) {
        let sql = """
            UPDATE notification SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3, status = ?4
            WHERE id = ?1
            """
        let status = giveUp ? NotificationStatus.dead : .pending
        try run(
            "recording a failed attempt of notification \(id)", sql,
            [SQLValue(id), SQLValue(error), SQLValue(nextAttemptAt), SQLValue(status.rawValue)])
    }

    private static let selectNotification = """
        SELECT id, dedupe_key, tenant_id, bulk_change_id, recipients, subject, body, attachment_name, attachment,
            status, attempts, next_attempt_at, last_error, created_at, sent_at
        FROM notification
        """

    private static func notification(from row: Row) throws(StoreError) -> NotificationRecord {
        guard let status = NotificationStatus(rawValue: row.text(9)) else {
            throw .invalidValue(field: "notification.status", value: row.text(9), expected: "PENDING, SENT or DEAD")
        }
        return NotificationRecord(
            id: row.int64(0), dedupeKey: row.text(1), tenantID: row.optionalInt64(2),
            bulkChangeID: row.optionalInt64(3),
            recipients: row.text(4).split(separator: ",").map(String.init), subject: row.text(5), body: row.text(6),
            attachmentName: row.optionalText(7), attachment: row.optionalText(8), status: status,
            attempts: Int(row.int64(10)), nextAttemptAt: try row.date(11), lastError: row.optionalText(12),
            createdAt: try row.date(13), sentAt: try row.optionalDate(14))
    }
}
