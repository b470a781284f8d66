import Foundation

/// One validated input row as a typed request: what to change on which device.
public enum ChangeRequest: Codable, Equatable, Sendable {
    case customerRatePlan(CustomerRatePlanChange)
    case carrierRatePlan(CarrierRatePlanChange)
    case statusUpdate(StatusUpdate)
    case editUsername(UsernameEdit)
    case changeICCIDOrIMEI(IdentifierChange)
    case archival(ArchivalRequest)

    /// The device the request is about (its current ICCID).
    public var iccid: String {
        switch self {
        case .customerRatePlan(let request): request.iccid
        case .carrierRatePlan(let request): request.iccid
        case .statusUpdate(let request): request.iccid
        case .editUsername(let request): request.iccid
        case .changeICCIDOrIMEI(let request): request.iccid
        case .archival(let request): request.iccid
        }
    }

    public var changeType: ChangeType {
        switch self {
        case .customerRatePlan: .customerRatePlan
        case .carrierRatePlan: .carrierRatePlan
        case .statusUpdate: .statusUpdate
        case .editUsername: .editUsername
        case .changeICCIDOrIMEI: .changeICCIDOrIMEI
        case .archival: .archival
        }
    }
}

/// Database only: a customer rate plan and/or pool, now or on a future effective date.
public struct CustomerRatePlanChange: Codable, Equatable, Sendable {
    public var iccid: String
    public var customerRatePlanID: String?
    public var customerPoolID: String?
    public var dataAllocationMB: Double?
    /// `nil` or not after today: apply now; later: queue until due.
    public var effectiveDate: Date?

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

/// A carrier rate plan (and optionally communication plan) set on Control Center.
public struct CarrierRatePlanChange: Codable, Equatable, Sendable {
    public var iccid: String
    public var ratePlan: String
    public var communicationPlan: String?
    /// Passed to Control Center (at most 180 days ahead); `nil` = now.
    public var effectiveDate: Date?

    public init(iccid: String, ratePlan: String, communicationPlan: String? = nil, effectiveDate: Date? = nil) {
        self.iccid = iccid
        self.ratePlan = ratePlan
        self.communicationPlan = communicationPlan
        self.effectiveDate = effectiveDate
    }
}

/// A SIM status change on Control Center.
public struct StatusUpdate: Codable, Equatable, Sendable {
    public var iccid: String
    public var targetStatus: SIMStatus
    public var reason: String?
    public var effectiveDate: Date?

    public init(iccid: String, targetStatus: SIMStatus, reason: String? = nil, effectiveDate: Date? = nil) {
        self.iccid = iccid
        self.targetStatus = targetStatus
        self.reason = reason
        self.effectiveDate = effectiveDate
    }
}

/// A new username (and cost centres) for a device.
public struct UsernameEdit: Codable, Equatable, Sendable {
    public var iccid: String
    public var username: String
    /// Cost centres 1–3; `nil` leaves one as it is.
    public var costCenters: [String?]

    public init(iccid: String, username: String, costCenters: [String?] = [nil, nil, nil]) {
        self.iccid = iccid
        self.username = username
        self.costCenters = costCenters
    }
}

/// A SIM swap (new ICCID) or a modem swap (new IMEI): exactly one of the two.
public struct IdentifierChange: Codable, Equatable, Sendable {
    /// The replacement identifier.
    public enum Replacement: Codable, Equatable, Sendable {
        case iccid(String)
        case imei(String)
    }

    public var iccid: String
    public var replacement: Replacement

    public init(iccid: String, replacement: Replacement) {
        self.iccid = iccid
        self.replacement = replacement
    }
}

/// Moves a device to archived state, keeping its history.
public struct ArchivalRequest: Codable, Equatable, Sendable {
    public var iccid: String
    public var reason: String?
    public var effectiveDate: Date?
    /// How long the archived record is kept; `nil` = the store's default.
    public var retentionDays: Int?
    /// Archive even with usage in the last 30 days.
    public var overrideUsageCheck: Bool

    public init(
        iccid: String, reason: String? = nil, effectiveDate: Date? = nil, retentionDays: Int? = nil,
        overrideUsageCheck: Bool = false
    ) {
        self.iccid = iccid
        self.reason = reason
        self.effectiveDate = effectiveDate
        self.retentionDays = retentionDays
        self.overrideUsageCheck = overrideUsageCheck
    }
}
