import BulkChange
import Foundation
import Store

/// Gathers what validation needs to know: the plans, once per file (`catalog`), and per chunk of
/// rows the tenant's devices they name (replacement SIMs included) and the replacement IMEIs
/// already taken (`chunk`), with batched lookups. Only the slim `InventoryDevice` of each device of
/// the chunk is kept, so neither a large file nor a large inventory is ever held whole.
enum ValidationLoader {
    /// The plans rows are judged against, read once per file; no devices yet (see `chunk`).
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
        let devices = try connection.deviceStates(tenantID: tenantID, providerID: providerID, iccids: iccids) {
            InventoryDevice(
                iccid: $0.iccid, imei: $0.imei, status: $0.status.flatMap(SIMStatus.init(rawValue:)),
                carrierRatePlan: $0.carrierRatePlan, communicationPlan: $0.communicationPlan,
                customerRatePlan: $0.customerRatePlan, customerPool: $0.customerPool, username: $0.username,
                isArchived: $0.isArchived)
        }
        context.devices.reserveCapacity(devices.count)
        for device in devices { context.devices[device.iccid] = device }
        for imei in rows.compactMap({ $0.fields["new_imei"] })
        where try connection.device(providerID: providerID, imei: imei) != nil {
            context.identifiersInUse.insert(imei)
        }
        return context
    }
}
