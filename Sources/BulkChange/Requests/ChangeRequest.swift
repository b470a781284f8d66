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

    /// The change type the request belongs to.
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
