import Foundation

/// A device as this tenant's inventory knows it, for the rules that depend on its current state.
public struct InventoryDevice: Equatable, Sendable {
    /// The device's ICCID, its key in the inventory.
    public var iccid: String
    /// The modem's IMEI, when known.
    public var imei: String?
    /// The SIM status last seen, when known.
    public var status: SIMStatus?
    /// The carrier rate plan on Control Center.
    public var carrierRatePlan: String?
    /// The communication plan on Control Center.
    public var communicationPlan: String?
    /// The tenant's customer rate plan ID.
    public var customerRatePlan: String?
    /// The tenant's customer pool ID.
    public var customerPool: String?
    /// The username (Control Center's device ID).
    public var username: String?
    /// Whether the device has been archived: it then takes no more changes.
    public var isArchived: Bool

    /// A device; only the ICCID is needed.
    public init(
        iccid: String, imei: String? = nil, status: SIMStatus? = nil, carrierRatePlan: String? = nil,
        communicationPlan: String? = nil, customerRatePlan: String? = nil, customerPool: String? = nil,
        username: String? = nil, isArchived: Bool = false
    ) {
        self.iccid = iccid
        self.imei = imei
        self.status = status
        self.carrierRatePlan = carrierRatePlan
        self.communicationPlan = communicationPlan
        self.customerRatePlan = customerRatePlan
        self.customerPool = customerPool
        self.username = username
        self.isArchived = isArchived
    }
}

/// Everything rows are judged against: the time, this tenant's inventory for the file's service
/// provider, the plans that exist, and the identifiers other devices already use.
public struct ValidationContext: Sendable {
    /// The moment dates are judged against (their UTC day is "today").
    public var now: Date
    /// This tenant's devices for this service provider, by ICCID. Other tenants' devices are not
    /// here, so they are rejected exactly like devices that do not exist.
    public var devices: [String: InventoryDevice]
    /// The service provider's carrier rate plan names.
    public var carrierRatePlans: Set<String>
    /// The service provider's communication plan names.
    public var communicationPlans: Set<String>
    /// The tenant's customer rate plan IDs.
    public var customerRatePlans: Set<String>
    /// The tenant's customer pool IDs.
    public var customerPools: Set<String>
    /// ICCIDs and IMEIs already used by devices of the service provider, of any tenant.
    public var identifiersInUse: Set<String>

    /// A context at `now`; everything else defaults to empty.
    public init(
        now: Date, devices: [String: InventoryDevice] = [:], carrierRatePlans: Set<String> = [],
        communicationPlans: Set<String> = [], customerRatePlans: Set<String> = [], customerPools: Set<String> = [],
        identifiersInUse: Set<String> = []
    ) {
        self.now = now
        self.devices = devices
        self.carrierRatePlans = carrierRatePlans
        self.communicationPlans = communicationPlans
        self.customerRatePlans = customerRatePlans
        self.customerPools = customerPools
        self.identifiersInUse = identifiersInUse
    }
}
