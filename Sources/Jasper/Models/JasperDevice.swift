import BulkChange

/// A device as `GET /devices/{iccid}` describes it.
///
/// Only `iccid` is always present; everything else is optional because Control Center leaves
/// out what it does not know. Timestamps are kept as Control Center wrote them (see `JasperTimestamp`).
public struct JasperDevice: Codable, Equatable, Sendable {
    public var iccid: String
    public var imsi: String?
    public var msisdn: String?
    public var imei: String?
    public var status: String?
    public var ratePlan: String?
    public var communicationPlan: String?
    public var customer: String?
    public var endConsumerId: String?
    public var dateActivated: String?
    public var dateUpdated: String?
    public var dateShipped: String?
    public var accountId: String?
    public var fixedIPAddress: String?
    public var deviceID: String?
    public var modemID: String?
    /// `accountCustom1` … `accountCustom10`, by number.
    public var accountCustom: [Int: String]

    public init(
        iccid: String, imsi: String? = nil, msisdn: String? = nil, imei: String? = nil, status: String? = nil,
        ratePlan: String? = nil, communicationPlan: String? = nil, customer: String? = nil,
        endConsumerId: String? = nil, dateActivated: String? = nil, dateUpdated: String? = nil,
        dateShipped: String? = nil, accountId: String? = nil, fixedIPAddress: String? = nil,
        deviceID: String? = nil, modemID: String? = nil, accountCustom: [Int: String] = [:]
    ) {
        self.iccid = iccid
        self.imsi = imsi
        self.msisdn = msisdn
        self.imei = imei
        self.status = status
        self.ratePlan = ratePlan
        self.communicationPlan = communicationPlan
        self.customer = customer
        self.endConsumerId = endConsumerId
        self.dateActivated = dateActivated
        self.dateUpdated = dateUpdated
        self.dateShipped = dateShipped
        self.accountId = accountId
        self.fixedIPAddress = fixedIPAddress
        self.deviceID = deviceID
        self.modemID = modemID
        self.accountCustom = accountCustom
    }

    /// The status as a known value, when it is one.
    public var simStatus: SIMStatus? { status.flatMap(SIMStatus.init(rawValue:)) }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case iccid, imsi, msisdn, imei, status, ratePlan, communicationPlan, customer, endConsumerId
        case dateActivated, dateUpdated, dateShipped, accountId, fixedIPAddress, deviceID, modemID
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String? { try container.decodeLenientString(forKey: key) }
        iccid = try text(.iccid) ?? ""
        imsi = try text(.imsi)
        msisdn = try text(.msisdn)
        imei = try text(.imei)
        status = try text(.status)
        ratePlan = try text(.ratePlan)
        communicationPlan = try text(.communicationPlan)
        customer = try text(.customer)
        endConsumerId = try text(.endConsumerId)
        dateActivated = try text(.dateActivated)
        dateUpdated = try text(.dateUpdated)
        dateShipped = try text(.dateShipped)
        accountId = try text(.accountId)
        fixedIPAddress = try text(.fixedIPAddress)
        deviceID = try text(.deviceID)
        modemID = try text(.modemID)
        accountCustom = try AccountCustomFields.decode(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iccid, forKey: .iccid)
        try container.encodeIfPresent(imsi, forKey: .imsi)
        try container.encodeIfPresent(msisdn, forKey: .msisdn)
        try container.encodeIfPresent(imei, forKey: .imei)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encodeIfPresent(ratePlan, forKey: .ratePlan)
        try container.encodeIfPresent(communicationPlan, forKey: .communicationPlan)
        try container.encodeIfPresent(customer, forKey: .customer)
        try container.encodeIfPresent(endConsumerId, forKey: .endConsumerId)
        try container.encodeIfPresent(dateActivated, forKey: .dateActivated)
        try container.encodeIfPresent(dateUpdated, forKey: .dateUpdated)
        try container.encodeIfPresent(dateShipped, forKey: .dateShipped)
        try container.encodeIfPresent(accountId, forKey: .accountId)
        try container.encodeIfPresent(fixedIPAddress, forKey: .fixedIPAddress)
        try container.encodeIfPresent(deviceID, forKey: .deviceID)
        try container.encodeIfPresent(modemID, forKey: .modemID)
        try AccountCustomFields.encode(accountCustom, to: encoder)
    }
}

/// `accountCustom1` … `accountCustom10`, read and written as a numbered map.
enum AccountCustomFields {
    static let numbers = 1...10

    static func key(_ number: Int) -> NamedCodingKey {
        NamedCodingKey("accountCustom\(number)")
    }

    static func decode(from decoder: any Decoder) throws -> [Int: String] {
        let container = try decoder.container(keyedBy: NamedCodingKey.self)
        var fields: [Int: String] = [:]
        for number in numbers {
            if let value = try container.decodeLenientString(forKey: key(number)) { fields[number] = value }
        }
        return fields
    }

    static func encode(_ fields: [Int: String], to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NamedCodingKey.self)
        for (number, value) in fields.sorted(by: { $0.key < $1.key }) {
            try container.encode(value, forKey: key(number))
        }
    }
}

extension KeyedDecodingContainer {
    /// A string field that Control Center sometimes sends as a number, or as null.
    func decodeLenientString(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Int64.self, forKey: key) { return String(number) }
        if let number = try? decode(Double.self, forKey: key) { return String(number) }
        if let flag = try? decode(Bool.self, forKey: key) { return String(flag) }
        throw DecodingError.typeMismatch(
            String.self, .init(codingPath: codingPath + [key], debugDescription: "expected a string"))
    }
}
