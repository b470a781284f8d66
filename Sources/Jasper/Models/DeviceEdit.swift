import BulkChange
import Foundation

/// The body of `PUT /devices/{iccid}`: the fields to change, and when.
///
/// At least one field must be set (`isEmpty` says whether one is). `effectiveDate` omitted means
/// now; Control Center accepts at most 180 days ahead.
public struct DeviceEdit: Codable, Equatable, Sendable {
    public var status: SIMStatus?
    public var ratePlan: String?
    public var communicationPlan: String?
    public var customer: String?
    public var deviceID: String?
    public var modemID: String?
    public var overageLimitOverride: String?
    /// `accountCustom1` … `accountCustom10`, by number.
    public var accountCustom: [Int: String]
    public var effectiveDate: Date?

    public init(
        status: SIMStatus? = nil, ratePlan: String? = nil, communicationPlan: String? = nil, customer: String? = nil,
        deviceID: String? = nil, modemID: String? = nil, overageLimitOverride: String? = nil,
        accountCustom: [Int: String] = [:], effectiveDate: Date? = nil
    ) {
        self.status = status
        self.ratePlan = ratePlan
        self.communicationPlan = communicationPlan
        self.customer = customer
        self.deviceID = deviceID
        self.modemID = modemID
        self.overageLimitOverride = overageLimitOverride
        self.accountCustom = accountCustom
        self.effectiveDate = effectiveDate
    }

    /// No field to change.
    public var isEmpty: Bool {
        status == nil && ratePlan == nil && communicationPlan == nil && customer == nil && deviceID == nil
            && modemID == nil && overageLimitOverride == nil && accountCustom.isEmpty
    }

    /// The changed fields by their Control Center names, as text (for audit trails and comparisons).
    public var changedFields: [String: String] {
        var fields: [String: String] = [:]
        fields["status"] = status?.rawValue
        fields["ratePlan"] = ratePlan
        fields["communicationPlan"] = communicationPlan
        fields["customer"] = customer
        fields["deviceID"] = deviceID
        fields["modemID"] = modemID
        fields["overageLimitOverride"] = overageLimitOverride
        for (number, value) in accountCustom { fields["accountCustom\(number)"] = value }
        return fields
    }

    private enum CodingKeys: String, CodingKey {
        case status, ratePlan, communicationPlan, customer, deviceID, modemID, overageLimitOverride, effectiveDate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeIfPresent(SIMStatus.self, forKey: .status)
        ratePlan = try container.decodeIfPresent(String.self, forKey: .ratePlan)
        communicationPlan = try container.decodeIfPresent(String.self, forKey: .communicationPlan)
        customer = try container.decodeIfPresent(String.self, forKey: .customer)
        deviceID = try container.decodeIfPresent(String.self, forKey: .deviceID)
        modemID = try container.decodeIfPresent(String.self, forKey: .modemID)
        overageLimitOverride = try container.decodeIfPresent(String.self, forKey: .overageLimitOverride)
        accountCustom = try AccountCustomFields.decode(from: decoder)
        if let text = try container.decodeIfPresent(String.self, forKey: .effectiveDate) {
            guard let date = JasperTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .effectiveDate, in: container, debugDescription: "not a date: \(text)")
            }
            effectiveDate = date
        } else {
            effectiveDate = nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(ratePlan, forKey: .ratePlan)
        try container.encodeIfPresent(communicationPlan, forKey: .communicationPlan)
        try container.encodeIfPresent(customer, forKey: .customer)
        try container.encodeIfPresent(deviceID, forKey: .deviceID)
        try container.encodeIfPresent(modemID, forKey: .modemID)
        try container.encodeIfPresent(overageLimitOverride, forKey: .overageLimitOverride)
        try container.encodeIfPresent(effectiveDate.map(JasperTimestamp.format), forKey: .effectiveDate)
        try AccountCustomFields.encode(accountCustom, to: encoder)
    }
}
