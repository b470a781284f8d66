import Foundation

/// One SIM in a tenant's inventory at one service provider.
public struct DeviceRecord: Sendable, Equatable {
    /// Nil until stored.
    public var id: Int64?
    public var tenantID: Int64
    public var providerID: Int64
    /// Unique per service provider.
    public var iccid: String
    public var imei: String?
    public var msisdn: String?
    /// The SIM status on the carrier, e.g. `ACTIVATED`.
    public var status: String?
    public var carrierRatePlan: String?
    public var communicationPlan: String?
    public var customerRatePlan: String?
    public var customerPool: String?
    public var dataAllocationMB: Double?
    public var username: String?
    /// Cost centers 1 to 3; always three entries when read from the store.
    public var costCenters: [String?]
    public var lastUsageDate: Date?
    /// Set when the device was archived; an archived device keeps its row and history.
    public var archivedAt: Date?
    public var retainUntil: Date?
    /// When the store last changed this row.
    public var updatedAt: Date?

    /// A device record; only the keys are required.
    public init(
        id: Int64? = nil, tenantID: Int64, providerID: Int64, iccid: String, imei: String? = nil,
        msisdn: String? = nil, status: String? = nil, carrierRatePlan: String? = nil,
        communicationPlan: String? = nil, customerRatePlan: String? = nil, customerPool: String? = nil,
        dataAllocationMB: Double? = nil, username: String? = nil, costCenters: [String?] = [nil, nil, nil],
        lastUsageDate: Date? = nil, archivedAt: Date? = nil, retainUntil: Date? = nil, updatedAt: Date? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.providerID = providerID
        self.iccid = iccid
        self.imei = imei
        self.msisdn = msisdn
        self.status = status
        self.carrierRatePlan = carrierRatePlan
        self.communicationPlan = communicationPlan
        self.customerRatePlan = customerRatePlan
        self.customerPool = customerPool
        self.dataAllocationMB = dataAllocationMB
        self.username = username
        self.costCenters = costCenters
        self.lastUsageDate = lastUsageDate
        self.archivedAt = archivedAt
        self.retainUntil = retainUntil
        self.updatedAt = updatedAt
    }
}

/// A device field that bulk changes, carrier snapshots and history talk about.
public enum DeviceField: String, CaseIterable, Sendable {
    case iccid, imei, msisdn, status, carrierRatePlan, communicationPlan, customerRatePlan, customerPool
    case dataAllocationMB, username, costCenter1, costCenter2, costCenter3, lastUsageDate, archivedAt
    case retainUntil
}

/// A field whose value an update actually changed, as text (see `StoreConnection.updateDevice`).
public struct DeviceChange: Sendable, Equatable {
    public var field: DeviceField
    public var before: String?
    public var after: String?

    /// A change of `field` from `before` to `after`.
    public init(field: DeviceField, before: String?, after: String?) {
        self.field = field
        self.before = before
        self.after = after
    }
}

/// One recorded change of one device field.
public struct DeviceHistoryEntry: Sendable, Equatable {
    public var field: DeviceField
    public var before: String?
    public var after: String?
    public var changedAt: Date
    /// The bulk change detail that made the change; nil for inventory imports and carrier syncs.
    public var detailID: Int64?
    /// Why the change was made, when the row said (a status update's `reason`).
    public var reason: String?

    /// A history entry.
    public init(
        field: DeviceField, before: String?, after: String?, changedAt: Date, detailID: Int64? = nil,
        reason: String? = nil
    ) {
        self.reason = reason
        self.field = field
        self.before = before
        self.after = after
        self.changedAt = changedAt
        self.detailID = detailID
    }
}

/// What `upsertDevices` did.
public struct DeviceUpsertResult: Sendable, Equatable {
    /// Devices that were new.
    public var inserted: Int
    /// Existing devices with at least one changed field (unchanged ones count in neither).
    public var updated: Int
    /// ICCIDs that belong to another tenant at the same provider and were left alone.
    public var conflicts: [String]

    /// An upsert result.
    public init(inserted: Int = 0, updated: Int = 0, conflicts: [String] = []) {
        self.inserted = inserted
        self.updated = updated
        self.conflicts = conflicts
    }
}

/// What the carrier reports for one device; nil fields were not reported and are left alone.
public struct CarrierDeviceSnapshot: Sendable, Equatable {
    public var iccid: String
    public var status: String?
    public var carrierRatePlan: String?
    public var communicationPlan: String?

    /// A snapshot of one device.
    public init(iccid: String, status: String? = nil, carrierRatePlan: String? = nil, communicationPlan: String? = nil)
    {
        self.iccid = iccid
        self.status = status
        self.carrierRatePlan = carrierRatePlan
        self.communicationPlan = communicationPlan
    }
}
