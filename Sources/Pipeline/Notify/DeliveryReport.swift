import Foundation

/// What one round of `Notifier.deliverDue` did: how many messages went out, and every
/// notification that did not go as it should.
public struct DeliveryReport: Sendable, Equatable {
    /// Messages the mail server (or the `.eml` folder) took.
    public var sent: Int
    /// Each failure of the round, in order.
    public var issues: [NotificationIssue]

    public init(sent: Int = 0, issues: [NotificationIssue] = []) {
        self.sent = sent
        self.issues = issues
    }
}

/// A notification that was not spooled, sent or recorded as it should have been, and what becomes of it.
public struct NotificationIssue: Sendable, Equatable, CustomStringConvertible {
    /// What happens to the notification now.
    public enum Next: Sendable, Equatable {
        /// Tried again once this time has come.
        case retry(at: Date)
        /// Given up and kept as dead, because waiting cannot fix it or it ran out of attempts;
        /// `bulkdrop status` lists it with the reason.
        case dead
        /// The database failed, so the spool may not show what happened (the reason says what).
        case unknown
    }

    /// The notification's key (`bulk-change-12`, `file-7`), or `spool` when the spool itself failed.
    public var key: String
    public var reason: String
    public var next: Next

    public init(key: String, reason: String, next: Next) {
        self.key = key
        self.reason = reason
        self.next = next
    }

    /// One line such as `notification bulk-change-3: smtp://…: login refused: …; given up (bulkdrop status lists it)`.
    public var description: String {
        switch next {
        case .retry(let date): "notification \(key): \(reason); tried again after \(Timestamps.iso8601(date))"
        case .dead: "notification \(key): \(reason); given up (bulkdrop status lists it)"
        case .unknown: "notification \(key): \(reason)"
        }
    }
}
