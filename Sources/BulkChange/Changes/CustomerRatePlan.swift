import Foundation

/// Database only: a customer rate plan and/or pool, now or on a future effective date.
public struct CustomerRatePlanChange: Codable, Equatable, Sendable {
    /// The device.
    public var iccid: String
    /// The tenant's customer rate plan to set, if any.
    public var customerRatePlanID: String?
    /// The tenant's customer pool to set, if any.
    public var customerPoolID: String?
    /// Data allocated to the device, in MB.
    public var dataAllocationMB: Double?
    /// `nil` or not after today: apply now; later: queue until due.
    public var effectiveDate: Date?

    /// A change; give a plan, a pool or both.
    public init(
        iccid: String, customerRatePlanID: String? = nil, customerPoolID: String? = nil,
        dataAllocationMB: Double? = nil, effectiveDate: Date? = nil
    ) {
        self.iccid = iccid
        self.customerRatePlanID = customerRatePlanID
        self.customerPoolID = customerPoolID
        self.dataAllocationMB = dataAllocationMB
        self.effectiveDate = effectiveDate
    }
}

/// `customer-rate-plan`: a customer rate plan and/or pool of the tenant, with an optional data
/// allocation, now or on a date up to a year ahead.
public enum CustomerRatePlanKind: ChangeKind {
    /// `customer-rate-plan`.
    public static let changeType = ChangeType.customerRatePlan
    /// The columns, in the order results show them.
    public static var fields: [FieldSpec] { [.iccid, ratePlan, pool, dataAllocation, effectiveDate] }

    /// Needs a plan or a pool; allocation 0 or more; an effective date at most 365 days ahead.
    public static func request(for iccid: String, from row: RowFields) throws(RowRejection) -> CustomerRatePlanChange {
        let planID = try row.text(ratePlan)
        let poolID = try row.text(pool)
        guard planID != nil || poolID != nil else { throw Message.noPlanOrPool }
        return CustomerRatePlanChange(
            iccid: iccid, customerRatePlanID: planID, customerPoolID: poolID,
            dataAllocationMB: try row.number(dataAllocation),
            effectiveDate: try row.date(effectiveDate, daysAhead: Int.min...365, hint: Message.dateHint))
    }

    /// The plan and the pool must be the tenant's.
    public static func check(_ request: CustomerRatePlanChange, device: InventoryDevice, context: ValidationContext)
        throws(RowRejection)
    {
        try requireKnown(request.customerRatePlanID, of: ratePlan, in: context.customerRatePlans, Message.unknownPlan)
        try requireKnown(request.customerPoolID, of: pool, in: context.customerPools, Message.unknownPool)
    }

    /// The request as `.customerRatePlan`.
    public static func changeRequest(_ request: CustomerRatePlanChange) -> ChangeRequest {
        .customerRatePlan(request)
    }
}

// MARK: - Columns and messages

extension CustomerRatePlanKind {
    static let ratePlan = FieldSpec(
        "customer_rate_plan_id", kind: .text, aliases: ["Customer Rate Plan", "Customer Rate Plan ID"],
        summary: "The ID of one of the tenant's customer rate plans. Give it, customer_pool_id, or both.")
    static let pool = FieldSpec(
        "customer_pool_id", kind: .text, aliases: ["Customer Pool", "Pool"],
        summary: "The ID of one of the tenant's customer pools. Give it, customer_rate_plan_id, or both.")
    static let dataAllocation = FieldSpec(
        "data_allocation_mb", kind: .number, aliases: ["Data Allocation", "Data Allocation MB"],
        summary: "Data allocated to the device in MB, 0 or more (a dot before decimals).")
    static let effectiveDate = FieldSpec.effectiveDate(
        "When the change applies. Empty, today or in the past: now. Later: it is queued and applied "
            + "on that day, at most 365 days ahead.")

    private enum Message {
        static let noPlanOrPool = RowRejection(
            message: "neither customer_rate_plan_id nor customer_pool_id is given",
            hint: "give a customer rate plan, a customer pool, or both")
        static let dateHint = "a customer rate plan change may be queued at most 365 days ahead"
        static let unknownPlan = FieldProblem(
            "not a customer rate plan of this tenant", hint: "check the ID against the tenant's customer rate plans")
        static let unknownPool = FieldProblem(
            "not a customer pool of this tenant", hint: "check the ID against the tenant's customer pools")
    }
}
