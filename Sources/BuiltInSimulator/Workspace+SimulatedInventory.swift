import Foundation
import JasperSim
import Pipeline
import Store

extension Workspace {
    /// Puts simulated devices into a tenant's inventory for a provider, with the plans they use:
    /// how the demo, the benchmarks and the tests give the store the devices the simulator holds.
    public func loadInventory(_ devices: [SimulatedDevice], tenant: String, provider name: String)
        async throws(PipelineError)
    {
        let provider = try await provider(named: name)
        let now = now()
        do {
            try await store.write { connection in
                let tenantID = try connection.ensureTenant(named: tenant)
                let providerID = provider.id ?? 0
                try connection.upsertCarrierRatePlans(
                    providerID: providerID, names: Array(Set(devices.compactMap(\.device.ratePlan))))
                try connection.upsertCommunicationPlans(
                    providerID: providerID, names: Array(Set(devices.compactMap(\.device.communicationPlan))))
                _ = try connection.upsertDevices(
                    devices.map { DeviceRecord(simulated: $0, tenantID: tenantID, providerID: providerID) }, at: now)
            }
        } catch {
            throw .store(error)
        }
    }
}

extension DeviceRecord {
    /// The inventory record of a device the simulator holds (its `deviceID` is the username).
    init(simulated: SimulatedDevice, tenantID: Int64, providerID: Int64) {
        let device = simulated.device
        self.init(
            id: nil, tenantID: tenantID, providerID: providerID, iccid: device.iccid, imei: device.imei,
            msisdn: device.msisdn, status: device.status, carrierRatePlan: device.ratePlan,
            communicationPlan: device.communicationPlan, customerRatePlan: nil, customerPool: nil,
            dataAllocationMB: nil, username: device.deviceID, costCenters: [nil, nil, nil],
            lastUsageDate: simulated.lastUsageDate, archivedAt: nil, retainUntil: nil, updatedAt: nil)
    }
}
