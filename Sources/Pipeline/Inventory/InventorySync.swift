import Foundation
import Jasper
import Store

/// Brings the store up to date from Control Center: modified devices (status and plans, paged)
/// and the account's rate plans.
public struct InventorySync: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// What a device sync did.
    public struct DeviceSyncReport: Sendable, Equatable {
        public var received: Int
        public var changed: Int
    }

    /// Pulls the devices modified since `since` and updates those in the inventory (any tenant).
    public func syncDevices(provider name: String, since: Date) async throws(PipelineError) -> DeviceSyncReport {
        let (provider, client) = try await connect(name)
        let summaries: [DeviceSummary]
        do {
            summaries = try await client.modifiedDevices(since: since)
        } catch {
            throw .carrier("reading modified devices from \(name) failed: \(error)")
        }
        let snapshots = summaries.map {
            CarrierDeviceSnapshot(
                iccid: $0.iccid, status: $0.status, carrierRatePlan: $0.ratePlan,
                communicationPlan: $0.communicationPlan)
        }
        let now = workspace.now()
        let providerID = provider.id ?? 0
        let communicationPlans = Array(Set(summaries.compactMap(\.communicationPlan)))
        do {
            let changed = try await workspace.store.write { connection in
                try connection.upsertCommunicationPlans(providerID: providerID, names: communicationPlans)
                return try connection.applyCarrierSnapshot(providerID: providerID, devices: snapshots, at: now)
            }
            return DeviceSyncReport(received: summaries.count, changed: changed)
        } catch {
            throw .store(error)
        }
    }

    /// Pulls the account's rate plans into the provider's carrier rate plans; returns their names.
    public func syncRatePlans(provider name: String) async throws(PipelineError) -> [String] {
        let (provider, client) = try await connect(name)
        let names: [String]
        do {
            names = try await client.ratePlans().map(\.name)
        } catch {
            throw .carrier("reading rate plans from \(name) failed: \(error)")
        }
        let providerID = provider.id ?? 0
        do {
            try await workspace.store.write { connection in
                try connection.upsertCarrierRatePlans(providerID: providerID, names: names)
            }
        } catch {
            throw .store(error)
        }
        return names.sorted()
    }

    private func connect(_ name: String) async throws(PipelineError) -> (ServiceProviderRecord, any JasperEndpoint) {
        let provider = try await workspace.provider(named: name)
        do {
            return (provider, try workspace.endpoint(for: provider))
        } catch {
            throw .carrier("\(error)")
        }
    }
}

extension Workspace {
    /// A configured provider's record, or an error listing the configured ones.
    public func provider(named name: String) async throws(PipelineError) -> ServiceProviderRecord {
        let found: ServiceProviderRecord?
        do {
            found = try await store.read { connection in try connection.provider(named: name) }
        } catch {
            throw .store(error)
        }
        guard let found else { throw .unknownProvider(name, known: configuration.serviceProviders.map(\.name)) }
        return found
    }

    /// A configured tenant's id, or an error listing the configured ones.
    func tenantID(named name: String) async throws(PipelineError) -> Int64 {
        let found: Int64?
        do {
            found = try await store.read { connection in try connection.tenantID(named: name) }
        } catch {
            throw .store(error)
        }
        guard let found else { throw .unknownTenant(name, known: configuration.tenants) }
        return found
    }
}
