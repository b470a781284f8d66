import CivilDate
import Foundation

extension DeviceField {
    /// How a field's text is stored.
    enum Kind {
        case text, number, date
    }

    /// The `device` column that holds this field.
    var column: String {
        switch self {
        case .iccid, .imei, .msisdn, .status, .username: return rawValue
        case .carrierRatePlan: return "carrier_rate_plan"
        case .communicationPlan: return "communication_plan"
        case .customerRatePlan: return "customer_rate_plan"
        case .customerPool: return "customer_pool"
        case .dataAllocationMB: return "data_allocation_mb"
        case .costCenter1: return "cost_center_1"
        case .costCenter2: return "cost_center_2"
        case .costCenter3: return "cost_center_3"
        case .lastUsageDate: return "last_usage_date"
        case .archivedAt: return "archived_at"
        case .retainUntil: return "retain_until"
        }
    }

    var kind: Kind {
        switch self {
        case .dataAllocationMB: return .number
        case .lastUsageDate, .archivedAt, .retainUntil: return .date
        default: return .text
        }
    }

    /// The value to store for change text, and that value's canonical text; empty text clears.
    ///
    /// - Throws: `StoreError.invalidValue` for a number or date that does not parse, or a missing ICCID.
    func parse(_ text: String?) throws(StoreError) -> (value: SQLValue, text: String?) {
        guard let text, !text.isEmpty else {
            guard self != .iccid else { throw .invalidValue(field: rawValue, value: "", expected: "an ICCID") }
            return (.null, nil)
        }
        switch kind {
        case .text:
            return (.text(text), text)
        case .number:
            guard let number = Double(text), number.isFinite else {
                throw .invalidValue(field: rawValue, value: text, expected: "a decimal number such as 512 or 0.5")
            }
            return (.real(number), DeviceText.number(number))
        case .date:
            guard let date = UTCTimestamp.date(from: text) else {
                throw .invalidValue(
                    field: rawValue, value: text, expected: "an ISO-8601 date such as 2026-11-27T10:00:00Z")
            }
            return (SQLValue(date), UTCTimestamp.displayText(date))
        }
    }
}

/// The canonical text of device values, as history rows and `DeviceChange` show them.
enum DeviceText {
    /// `512` for whole numbers, the shortest exact decimal otherwise (`0.5`).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension DeviceRecord {
    /// The canonical text of one field.
    public func text(for field: DeviceField) -> String? {
        switch field {
        case .iccid: return iccid
        case .imei: return imei
        case .msisdn: return msisdn
        case .status: return status
        case .carrierRatePlan: return carrierRatePlan
        case .communicationPlan: return communicationPlan
        case .customerRatePlan: return customerRatePlan
        case .customerPool: return customerPool
        case .dataAllocationMB: return dataAllocationMB.map(DeviceText.number)
        case .username: return username
        case .costCenter1: return costCenter(0)
        case .costCenter2: return costCenter(1)
        case .costCenter3: return costCenter(2)
        case .lastUsageDate: return lastUsageDate.map(UTCTimestamp.displayText)
        case .archivedAt: return archivedAt.map(UTCTimestamp.displayText)
        case .retainUntil: return retainUntil.map(UTCTimestamp.displayText)
        }
    }

    /// Cost center `index` (0-based), nil when the array is shorter.
    func costCenter(_ index: Int) -> String? {
        costCenters.indices.contains(index) ? costCenters[index] : nil
    }
}
