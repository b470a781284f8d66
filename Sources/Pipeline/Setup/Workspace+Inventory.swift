import Foundation
import JasperSim
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
                    devices.map { DemoSetup.record($0, tenantID: tenantID, providerID: providerID) }, at: now)
            }
        } catch {
            throw .store(error)
        }
    }
}
