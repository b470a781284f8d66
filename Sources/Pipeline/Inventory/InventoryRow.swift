import BulkChange
import Foundation
import Store

/// One row of an inventory file checked and turned into a device record.
enum InventoryRow {
    /// Why a row was not loaded.
    struct Problem: Error {
        var message: String
    }

    static func record(_ values: [DeviceField: String], tenantID: Int64, providerID: Int64) -> Result<
        DeviceRecord, Problem
    > {
        guard let iccid = values[.iccid] else { return .failure(Problem(message: "no ICCID")) }
        guard (19...20).contains(iccid.count), Luhn.isValid(iccid) else {
            return .failure(Problem(message: "ICCID \(Echo.plain(iccid)) is not 19–20 digits with a valid check digit"))
        }
        if let imei = values[.imei], imei.count != 15 || !Luhn.isValid(imei) {
            return .failure(Problem(message: "IMEI \(imei) is not 15 digits with a valid check digit"))
        }
        if let status = values[.status], SIMStatus(name: status) == nil {
            return .failure(
                Problem(
                    message: "status \(status) is not one of "
                        + SIMStatus.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        var allocation: Double?
        if let text = values[.dataAllocationMB] {
            guard let value = Double(text), value >= 0 else {
                return .failure(Problem(message: "data_allocation_mb \(text) is not a number of megabytes"))
            }
            allocation = value
        }
        var lastUsage: Date?
        if let text = values[.lastUsageDate] {
            guard let date = try? DateCheck.parse(text).date else {
                return .failure(Problem(message: "last_usage_date \(text) is not a date as YYYY-MM-DD"))
            }
            lastUsage = date
        }
        return .success(
            DeviceRecord(
                id: nil, tenantID: tenantID, providerID: providerID, iccid: iccid, imei: values[.imei],
                msisdn: values[.msisdn], status: values[.status].flatMap { SIMStatus(name: $0)?.rawValue },
                carrierRatePlan: values[.carrierRatePlan],
                communicationPlan: values[.communicationPlan], customerRatePlan: values[.customerRatePlan],
                customerPool: values[.customerPool], dataAllocationMB: allocation, username: values[.username],
                costCenters: [values[.costCenter1], values[.costCenter2], values[.costCenter3]],
                lastUsageDate: lastUsage, archivedAt: nil, retainUntil: nil, updatedAt: nil))
    }
}
