import Foundation

/// A customer rate plan change waiting for its effective date.
public struct QueuedRatePlanChange: Sendable, Equatable {
    /// Nil until enqueued.
    public var id: Int64?
    /// The SCHEDULED detail that queued it.
    public var detailID: Int64
    public var deviceID: Int64
    public var customerRatePlan: String?
    public var customerPool: String?
    public var dataAllocationMB: Double?
    public var effectiveDate: Date
    /// When the scheduler applied it; nil while waiting.
    public var appliedAt: Date?
    /// The outcome of applying it, e.g. PROCESSED or FAILED.
    public var outcome: String?
    public var message: String?

    /// A queued change; `id`, `appliedAt`, `outcome` and `message` stay nil until stored and applied.
    public init(
        id: Int64? = nil, detailID: Int64, deviceID: Int64, customerRatePlan: String? = nil,
        customerPool: String? = nil, dataAllocationMB: Double? = nil, effectiveDate: Date, appliedAt: Date? = nil,
        outcome: String? = nil, message: String? = nil
    ) {
        self.id = id
        self.detailID = detailID
        self.deviceID = deviceID
        self.customerRatePlan = customerRatePlan
        self.customerPool = customerPool
        self.dataAllocationMB = dataAllocationMB
        self.effectiveDate = effectiveDate
        self.appliedAt = appliedAt
        self.outcome = outcome
        self.message = message
    }
}
