import Foundation

/// A carrier rate plan (and optionally communication plan) set on Control Center.
public struct CarrierRatePlanChange: Codable, Equatable, Sendable {
    /// The device.
    public var iccid: String
    /// The rate plan name on Control Center.
    public var ratePlan: String
    /// The communication plan name; `nil` keeps the current one.
    public var communicationPlan: String?
    /// Passed to Control Center (at most 180 days ahead); `nil` = now.
    public var effectiveDate: Date?

    /// A change of rate plan.
    public init(iccid: String, ratePlan: String, communicationPlan: String? = nil, effectiveDate: Date? = nil) {
        self.iccid = iccid
        self.ratePlan = ratePlan
        self.communicationPlan = communicationPlan
        self.effectiveDate = effectiveDate
    }
}

/// `carrier-rate-plan`: one of the service provider's rate plans (and communication plans) set on
/// Control Center, now or up to 180 days ahead.
public enum CarrierRatePlanKind: ChangeKind {
    /// `carrier-rate-plan`.
    public static let changeType = ChangeType.carrierRatePlan
    /// The columns, in the order results show them.
    public static var fields: [FieldSpec] { [.iccid, ratePlan, communicationPlan, effectiveDate] }

    /// Needs carrier_rate_plan; an effective date from today to 180 days ahead.
    public static func request(for iccid: String, from row: RowFields) throws(RowRejection) -> CarrierRatePlanChange {
        CarrierRatePlanChange(
            iccid: iccid, ratePlan: try row.required(ratePlan, row.text),
            communicationPlan: try row.text(communicationPlan),
            effectiveDate: try row.date(
                effectiveDate, daysAhead: ControlCenterDates.daysAhead, hint: ControlCenterDates.hint))
    }

    /// The rate plan and communication plan must be the service provider's.
    public static func check(_ request: CarrierRatePlanChange, device: InventoryDevice, context: ValidationContext)
        throws(RowRejection)
    {
        try requireKnown(request.ratePlan, of: ratePlan, in: context.carrierRatePlans, Message.unknownRatePlan)
        try requireKnown(
            request.communicationPlan, of: communicationPlan, in: context.communicationPlans,
            Message.unknownCommunicationPlan)
    }

    /// The request as `.carrierRatePlan`.
    public static func changeRequest(_ request: CarrierRatePlanChange) -> ChangeRequest {
        .carrierRatePlan(request)
    }
}

// MARK: - Columns and messages

extension CarrierRatePlanKind {
    static let ratePlan = FieldSpec(
        "carrier_rate_plan", kind: .text, required: true, aliases: ["Rate Plan", "Carrier Rate Plan"],
        summary: "The name of one of the service provider's rate plans on Control Center.")
    static let communicationPlan = FieldSpec(
        "communication_plan", kind: .text, aliases: ["Comm Plan", "Communication Plan"],
        summary: "The name of one of the service provider's communication plans; empty keeps the current one.")
    static let effectiveDate = FieldSpec.effectiveDate(
        "When Control Center applies the plan: today to 180 days ahead; empty means now.")

    private enum Message {
        static let unknownRatePlan = FieldProblem(
            "not a rate plan of this service provider", hint: "check the name against the provider's rate plans")
        static let unknownCommunicationPlan = FieldProblem(
            "not a communication plan of this service provider",
            hint: "check the name against the provider's communication plans")
    }
}
