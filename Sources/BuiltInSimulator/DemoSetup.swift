import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store

/// The embedded defaults' world: tenant `demo`, provider `POD19` on the built-in simulator
/// (account `demo` / `demo-key`), and a demo inventory that both the simulator and the store hold,
/// so the sample files in `schemas/examples/` work with no set-up.
public enum DemoSetup {
    /// Devices the simulator holds, all in the demo tenant's inventory: the first `inventoryCount`
    /// are its devices, the rest its spare SIMs in ACTIVATION_READY for SIM swaps.
    static let deviceCount = 40
    static let inventoryCount = 30
    static let seed: UInt64 = 2026

    /// The demo tenant's customer rate plans and pools.
    static let customerRatePlans = [
        CustomerRatePlanRecord(code: "CRP-BASIC", name: "Basic 500 MB", dataAllocationMB: 500),
        CustomerRatePlanRecord(code: "CRP-PLUS", name: "Plus 2 GB", dataAllocationMB: 2048),
        CustomerRatePlanRecord(code: "CRP-MAX", name: "Max 10 GB", dataAllocationMB: 10240),
    ]
    static let customerPools = [
        CustomerPoolRecord(code: "POOL-FLEET", name: "Fleet"), CustomerPoolRecord(code: "POOL-METERS", name: "Meters"),
    ]

    /// The simulator's devices on first start.
    static func simulatorDevices(now: Date) -> [SimulatedDevice] {
        var devices = GeneratedDevices.make(
            count: deviceCount, seed: seed, accountId: SimulatorUser.demo.accountId, now: now)
        for index in inventoryCount..<deviceCount {
            devices[index].device.status = SIMStatus.activationReady.rawValue
            devices[index].lastUsageDate = nil
            devices[index].cycleDataBytes = 0
        }
        return devices
    }

    /// Loads the demo inventory, plans and pools into the store (first start only).
    static func seed(_ workspace: Workspace, devices: [SimulatedDevice]) async throws(PipelineError) {
        let tenant = EmbeddedDefaults.tenant
        let providerName = EmbeddedDefaults.providerName
        try await workspace.loadInventory(devices, tenant: tenant, provider: providerName)
        let provider = try await workspace.provider(named: providerName)
        do {
            try await workspace.store.write { connection in
                let tenantID = try connection.ensureTenant(named: tenant)
                try connection.upsertCarrierRatePlans(providerID: provider.id ?? 0, names: [unknownToCarrierPlan])
                try connection.upsertCustomerRatePlans(tenantID: tenantID, customerRatePlans)
                try connection.upsertCustomerPools(tenantID: tenantID, customerPools)
            }
        } catch {
            throw .store(error)
        }
    }

    /// A plan the store lists but Control Center does not know: the samples use it to show a carrier refusal.
    static let unknownToCarrierPlan = "POD19 IoT 10GB Pooled"
}
