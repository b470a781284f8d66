/// Where one input row ended: every row gets exactly one.
public enum Outcome: String, CaseIterable, Codable, Sendable {
    /// Changed on the carrier (when the type calls it) and in the store.
    case processed = "PROCESSED"
    /// Accepted and queued for its effective date; the scheduler applies it when due.
    case scheduled = "SCHEDULED"
    /// Already as requested: nothing was sent or written.
    case unchanged = "UNCHANGED"
    /// Valid, but the carrier or the store refused or could not be reached.
    case failed = "FAILED"
    /// Invalid or not this tenant's device: recorded, never sent.
    case rejected = "REJECTED"
}

/// The life of one bulk change detail (one input row): `pending` → `processing` → one outcome, once.
public enum DetailStatus: String, Codable, Sendable {
    case pending = "PENDING"
    case processing = "PROCESSING"
    case processed = "PROCESSED"
    case scheduled = "SCHEDULED"
    case unchanged = "UNCHANGED"
    case failed = "FAILED"
    case rejected = "REJECTED"

    /// The final status for `outcome`.
    public init(_ outcome: Outcome) {
        self = DetailStatus(rawValue: outcome.rawValue)!
    }

    /// The final outcome, or `nil` while the row is still pending or processing.
    public var outcome: Outcome? { Outcome(rawValue: rawValue) }
}
