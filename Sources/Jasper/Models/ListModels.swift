/// One entry of `GET /devices?modifiedSince=…`.
public struct DeviceSummary: JasperListItem, Equatable {
    public static let listKey = "devices"

    public var iccid: String
    public var status: String?
    public var ratePlan: String?
    public var communicationPlan: String?

    public init(iccid: String, status: String? = nil, ratePlan: String? = nil, communicationPlan: String? = nil) {
        self.iccid = iccid
        self.status = status
        self.ratePlan = ratePlan
        self.communicationPlan = communicationPlan
    }
}

/// One change in a device's audit trail (`GET /devices/{iccid}/auditTrails`), newest first.
public struct AuditTrailEntry: JasperListItem, Equatable {
    public static let listKey = "deviceAuditTrails"

    public var field: String
    public var priorValue: String?
    public var value: String?
    public var effectiveDate: String?
    public var status: String?
    public var userName: String?
    public var delegatedUser: String?

    public init(
        field: String, priorValue: String?, value: String?, effectiveDate: String?, status: String? = "Executed",
        userName: String? = nil, delegatedUser: String? = nil
    ) {
        self.field = field
        self.priorValue = priorValue
        self.value = value
        self.effectiveDate = effectiveDate
        self.status = status
        self.userName = userName
        self.delegatedUser = delegatedUser
    }
}

/// Cycle-to-date usage of a device (`GET /devices/{iccid}/ctdUsages`).
public struct DeviceUsage: Codable, Equatable, Sendable {
    public var iccid: String
    public var imsi: String?
    public var msisdn: String?
    public var ratePlan: String?
    public var communicationPlan: String?
    /// Bytes of data used in the current cycle.
    public var ctdDataUsage: Int64
    public var ctdSMSUsage: Int64
    public var ctdVoiceUsage: Int64
    public var overageLimitReached: Bool
    /// When the device last used data, as Control Center wrote it (not a documented field of
    /// this call; the simulator adds it so the archival rule can be rehearsed).
    public var lastUsageDate: String?

    public init(
        iccid: String, imsi: String? = nil, msisdn: String? = nil, ratePlan: String? = nil,
        communicationPlan: String? = nil, ctdDataUsage: Int64 = 0, ctdSMSUsage: Int64 = 0,
        ctdVoiceUsage: Int64 = 0, overageLimitReached: Bool = false, lastUsageDate: String? = nil
    ) {
        self.iccid = iccid
        self.imsi = imsi
        self.msisdn = msisdn
        self.ratePlan = ratePlan
        self.communicationPlan = communicationPlan
        self.ctdDataUsage = ctdDataUsage
        self.ctdSMSUsage = ctdSMSUsage
        self.ctdVoiceUsage = ctdVoiceUsage
        self.overageLimitReached = overageLimitReached
        self.lastUsageDate = lastUsageDate
    }
}

/// A rate plan of the account (`GET /rateplans`).
public struct RatePlan: JasperListItem, Equatable {
    public static let listKey = "ratePlans"

    public var name: String
    public var status: String?
    public var type: String?

    public init(name: String, status: String? = "PUBLISHED", type: String? = nil) {
        self.name = name
        self.status = status
        self.type = type
    }
}

/// An item of a paged Control Center list, and the key its list goes under.
public protocol JasperListItem: Codable, Sendable {
    static var listKey: String { get }
}

/// The paging envelope Control Center wraps lists in; `lastPage` says when to stop.
public struct JasperPage<Item: JasperListItem>: Codable, Sendable {
    public var pageNumber: Int
    public var lastPage: Bool
    public var items: [Item]

    public init(pageNumber: Int, lastPage: Bool, items: [Item]) {
        self.pageNumber = pageNumber
        self.lastPage = lastPage
        self.items = items
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: NamedCodingKey.self)
        pageNumber = try container.decodeIfPresent(Int.self, forKey: NamedCodingKey("pageNumber")) ?? 1
        lastPage = try container.decodeIfPresent(Bool.self, forKey: NamedCodingKey("lastPage")) ?? true
        items = try container.decodeIfPresent([Item].self, forKey: NamedCodingKey(Item.listKey)) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NamedCodingKey.self)
        try container.encode(pageNumber, forKey: NamedCodingKey("pageNumber"))
        try container.encode(lastPage, forKey: NamedCodingKey("lastPage"))
        try container.encode(items, forKey: NamedCodingKey(Item.listKey))
    }
}
