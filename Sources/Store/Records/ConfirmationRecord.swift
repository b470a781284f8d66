import Foundation

/// A row whose edit Control Center accepted but does not show yet: what to look for, what to
/// record once it shows, and when to look again.
public struct ConfirmationRecord: Sendable, Equatable {
    public var detailID: Int64
    public var bulkChangeID: Int64
    public var providerID: Int64
    public var iccid: String
    /// What the device must show, as the pipeline's JSON.
    public var expectation: String
    /// The outcome to record once it shows, as the pipeline's JSON.
    public var result: String
    public var acceptedAt: Date
    /// Control Center answered 202 (it applies the edit later).
    public var appliedLater: Bool
    /// How often the edit was sent again because it did not show.
    public var resent: Int
    /// Reads made so far.
    public var checks: Int
    public var nextCheckAt: Date
    /// After this, the row is settled whether or not the change shows.
    public var settleBy: Date

    public init(
        detailID: Int64, bulkChangeID: Int64, providerID: Int64, iccid: String, expectation: String, result: String,
        acceptedAt: Date, appliedLater: Bool, resent: Int = 0, checks: Int = 0, nextCheckAt: Date, settleBy: Date
    ) {
        self.detailID = detailID
        self.bulkChangeID = bulkChangeID
        self.providerID = providerID
        self.iccid = iccid
        self.expectation = expectation
        self.result = result
        self.acceptedAt = acceptedAt
        self.appliedLater = appliedLater
        self.resent = resent
        self.checks = checks
        self.nextCheckAt = nextCheckAt
        self.settleBy = settleBy
    }
}
