import Foundation

/// An email in the spool: who gets it, what it says, and how sending it went.
public struct NotificationRecord: Sendable, Equatable {
    public var id: Int64?
    /// One notification per key (`bulk-change-12`, `file-7`): spooling it again changes nothing.
    public var dedupeKey: String
    public var tenantID: Int64?
    public var bulkChangeID: Int64?
    public var recipients: [String]
    public var subject: String
    public var body: String
    public var attachmentName: String?
    /// The attachment: an errors CSV as text, or a workbook (an `.xlsx` name) in base64.
    public var attachment: String?
    public var status: NotificationStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?

    public init(
        id: Int64? = nil, dedupeKey: String, tenantID: Int64? = nil, bulkChangeID: Int64? = nil, recipients: [String],
        subject: String, body: String, attachmentName: String? = nil, attachment: String? = nil,
        status: NotificationStatus = .pending, attempts: Int = 0, nextAttemptAt: Date, lastError: String? = nil,
        createdAt: Date, sentAt: Date? = nil
    ) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.tenantID = tenantID
        self.bulkChangeID = bulkChangeID
        self.recipients = recipients
        self.subject = subject
        self.body = body
        self.attachmentName = attachmentName
        self.attachment = attachment
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// Where a spooled email stands.
public enum NotificationStatus: String, Sendable, CaseIterable {
    /// Waiting for its next attempt.
    case pending = "PENDING"
    case sent = "SENT"
    /// Gave up after the configured attempts; `bulkdrop status` lists it.
    case dead = "DEAD"
}
