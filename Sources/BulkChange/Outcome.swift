/// Where one input row ended: every row gets exactly one final outcome (all but
/// `awaitingConfirmation`, which is a row's state while Control Center has not shown its change).
public enum Outcome: String, CaseIterable, Codable, Sendable {
    /// Changed on the carrier (when the type calls it) and in the store.
    case processed = "PROCESSED"
    /// Accepted and queued for its effective date; the scheduler applies it when due.
    case scheduled = "SCHEDULED"
    /// Already as requested: nothing was sent or written.
    case unchanged = "UNCHANGED"
    /// Sent, but whether Control Center applied it cannot be known (the answer to a future-dated
    /// edit was lost, and Control Center's API does not show pending changes): a person must look
    /// at the device on Control Center before anything is sent again.
    case needsCheck = "NEEDS_CHECK"
    /// Not final: Control Center accepted the edit but does not show it yet; the service keeps
    /// checking, and the result files are written again once the row settles.
    case awaitingConfirmation = "AWAITING_CONFIRMATION"
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
    case needsCheck = "NEEDS_CHECK"
    case awaitingConfirmation = "AWAITING_CONFIRMATION"
    case failed = "FAILED"
    case rejected = "REJECTED"

    /// The status for `outcome`.
    public init(_ outcome: Outcome) {
        self = DetailStatus(rawValue: outcome.rawValue)!
    }

    /// The outcome, or `nil` while the row is still pending or processing.
    public var outcome: Outcome? { Outcome(rawValue: rawValue) }
}

extension Outcome {
    /// Whether the row has ended (every outcome but `awaitingConfirmation`).
    public var isFinal: Bool { self != .awaitingConfirmation }
}
