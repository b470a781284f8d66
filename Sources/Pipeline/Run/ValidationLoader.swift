import BulkChange
import Foundation
import Store

/// Gathers, in one read, what validation needs to know about a file's devices: the tenant's
/// inventory for the provider (only the ICCIDs in the file, replacement SIMs included), the plans,
/// and which replacement IMEIs are already taken. Only the slim `InventoryDevice` of each device is kept, so a
/// 100k-row file does not hold 100k full records.
enum ValidationLoader {
    /// ICCIDs looked up per query batch.
    static let batchSize = 5000

    static func load(
        for file: InputFile, tenantID: Int64, providerID: Int64, now: Date, in store: Store
    ) async throws(StoreError) -> ValidationContext {
        // Replacement SIMs must be the tenant's spares, so they are looked up like its devices.
        let iccids = file.rows.compactMap { $0.fields["iccid"] } + file.rows.compactMap { $0.fields["new_iccid"] }
        let newIMEIs = file.rows.compactMap { $0.fields["new_imei"] }
        return try await store.read { connection in
            var devices: [String: InventoryDevice] = [:]
            devices.reserveCapacity(iccids.count)
            for start in stride(from: 0, to: iccids.count, by: batchSize) {
                let batch = Array(iccids[start..<min(start + batchSize, iccids.count)])
                for (iccid, record) in try connection.devices(tenantID: tenantID, providerID: providerID, iccids: batch)
                {
                    devices[iccid] = inventoryDevice(record)
                }
            }
            var inUse: Set<String> = []
            for imei in newIMEIs where try connection.device(providerID: providerID, imei: imei) != nil {
                inUse.insert(imei)
            }
            return ValidationContext(
                now: now, devices: devices,
                carrierRatePlans: try connection.carrierRatePlans(providerID: providerID),
                communicationPlans: try connection.communicationPlans(providerID: providerID),
                customerRatePlans: Set(try connection.customerRatePlans(tenantID: tenantID).map(\.code)),
                customerPools: Set(try connection.customerPools(tenantID: tenantID).map(\.code)),
                identifiersInUse: inUse)
        }
    }

    /// The plans rows are judged against, read once per file; no devices yet (see `devices`).
    static func catalog(tenantID: Int64, providerID: Int64, now: Date, in connection: StoreConnection)
        throws(StoreError) -> ValidationContext
    {
        ValidationContext(
            now: now, carrierRatePlans: try connection.carrierRatePlans(providerID: providerID),
            communicationPlans: try connection.communicationPlans(providerID: providerID),
            customerRatePlans: Set(try connection.customerRatePlans(tenantID: tenantID).map(\.code)),
            customerPools: Set(try connection.customerPools(tenantID: tenantID).map(\.code)))
    }

    /// `catalog` with the devices `rows` name (replacement SIMs included) and the replacement IMEIs
    /// already taken: what one chunk of a file is judged against. The devices of earlier chunks
    /// are not kept, so memory stays flat however large the tenant's inventory or the file.
    static func chunk(
        _ catalog: ValidationContext, rows: [InputRow], tenantID: Int64, providerID: Int64,
        in connection: StoreConnection
    ) throws(StoreError) -> ValidationContext {
        var context = catalog
        let iccids = rows.compactMap { $0.fields["iccid"] } + rows.compactMap { $0.fields["new_iccid"] }
        for start in stride(from: 0, to: iccids.count, by: batchSize) {
            let batch = Array(iccids[start..<min(start + batchSize, iccids.count)])
            for (iccid, record) in try connection.devices(tenantID: tenantID, providerID: providerID, iccids: batch) {
                context.devices[iccid] = inventoryDevice(record)
            }
        }
        for imei in rows.compactMap({ $0.fields["new_imei"] })
        where try connection.device(providerID: providerID, imei: imei) != nil {
            context.identifiersInUse.insert(imei)
        }
        return context
    }

    static func inventoryDevice(_ record: DeviceRecord) -> InventoryDevice {
        InventoryDevice(
            iccid: record.iccid, imei: record.imei, status: record.status.flatMap(SIMStatus.init(rawValue:)),
            carrierRatePlan: record.carrierRatePlan, communicationPlan: record.communicationPlan,
            customerRatePlan: record.customerRatePlan, customerPool: record.customerPool, username: record.username,
            isArchived: record.archivedAt != nil)
    }
}
