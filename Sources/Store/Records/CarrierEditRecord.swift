import Foundation

/// One edit for Control Center, recorded before it is sent and completed with what came back.
///
/// An edit still SENDING after a crash, or UNKNOWN after a timeout, is uncertain: the carrier may
/// or may not have applied it, so it is read back before anything is sent again.
public struct CarrierEditRecord: Sendable, Equatable {
    /// Nil until stored.
    public var id: Int64?
    public var detailID: Int64
    /// Which step of the row this edit is (`edit`, `activate-new`, `deactivate-old`, …).
    public var step: String
    /// The device the edit is sent for (a SIM swap edits two).
    public var iccid: String
    /// The PUT body, as JSON.
    public var requestJSON: String
    /// The PUT body that would undo this edit (what the device held before), as JSON, for a step
    /// that may have to be put back.
    public var undoJSON: String?
    public var effectiveDate: Date?
    /// 1 for the first send of this step, 2 for a second one, and so on.
    public var attempt: Int
    public var state: CarrierEditState
    public var sentAt: Date
    public var answeredAt: Date?
    public var responseStatus: Int?
    /// What came back, in words (an error, "answered 202").
    public var note: String?

    public init(
        id: Int64? = nil, detailID: Int64, step: String, iccid: String, requestJSON: String, undoJSON: String? = nil,
        effectiveDate: Date?, attempt: Int, state: CarrierEditState = .sending, sentAt: Date, answeredAt: Date? = nil,
        responseStatus: Int? = nil, note: String? = nil
    ) {
        self.id = id
        self.detailID = detailID
        self.step = step
        self.iccid = iccid
        self.requestJSON = requestJSON
        self.undoJSON = undoJSON
        self.effectiveDate = effectiveDate
        self.attempt = attempt
        self.state = state
        self.sentAt = sentAt
        self.answeredAt = answeredAt
        self.responseStatus = responseStatus
        self.note = note
    }
}

/// Where one carrier edit stands.
public enum CarrierEditState: String, Sendable, CaseIterable {
    /// Recorded, about to be sent (or the process died while it was in flight).
    case sending = "SENDING"
    /// Control Center answered 2xx with the device's ICCID.
    case accepted = "ACCEPTED"
    /// Control Center answered 202: accepted, applied later.
    case acceptedLater = "ACCEPTED_LATER"
    /// Control Center refused it: certainly not applied.
    case refused = "REFUSED"
    /// It never left (a stop, or the call was refused before sending).
    case notSent = "NOT_SENT"
    /// No answer (timeout, dropped connection, a 5xx): the carrier may have applied it.
    case unknown = "UNKNOWN"

    /// Whether the carrier may have applied the edit without BulkDrop knowing.
    public var isUncertain: Bool { self == .sending || self == .unknown }
}
