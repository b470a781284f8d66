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
        /// Where the listing started: devices modified on Control Center since then were read.
        public var since: Date
    }

    /// How far back the first sync of a provider looks (nothing is stored for it yet): 30 days.
    public static let firstLookBack: TimeInterval = 30 * 86_400
    /// How much earlier than where the last sync ended the next one starts: 15 minutes. Control
    /// Center's clock may be behind ours, and a change it committed while the last listing was
    /// paged may carry a time before that listing's start; reading those again is harmless.
    public static let overlap: TimeInterval = 15 * 60

    /// Pulls the devices modified since `since` and updates those in the inventory (any tenant).
    ///
    /// Without `since` the listing continues from the provider's last successful sync (less
    /// `overlap`), or looks back `firstLookBack` the first time. A successful sync stores where it
    /// started as the next one's point, unless it started after the stored point (a later `since`
    /// would leave a gap), so no change falls between two syncs.
    public func syncDevices(provider name: String, since: Date? = nil) async throws(PipelineError)
        -> DeviceSyncReport
    {
        let (provider, client) = try await connect(name)
        let providerID = provider.id ?? 0
        let previous: ProviderSyncRecord?
        do {
            previous = try await workspace.store.read { connection in
                try connection.providerSync(providerID: providerID)
            }
        } catch {
            throw .store(error)
        }
        let started = workspace.now()
        let from =
            since ?? previous.map { $0.syncedThrough.addingTimeInterval(-Self.overlap) }
            ?? started.addingTimeInterval(-Self.firstLookBack)
        let summaries: [DeviceSummary]
        do {
            summaries = try await client.modifiedDevices(since: from)
        } catch {
            throw .carrier("reading modified devices from \(name) failed: \(error); nothing was changed, try again")
        }
        let snapshots = summaries.map {
            CarrierDeviceSnapshot(
                iccid: $0.iccid, status: $0.status, carrierRatePlan: $0.ratePlan,
                communicationPlan: $0.communicationPlan)
        }
        let now = workspace.now()
        let advances = previous.map { from <= $0.syncedThrough } ?? true
        let point = ProviderSyncRecord(providerID: providerID, syncedThrough: started, syncedAt: now)
        let communicationPlans = Array(Set(summaries.compactMap(\.communicationPlan)))
        do {
            let changed = try await workspace.store.write { connection in
                try connection.upsertCommunicationPlans(providerID: providerID, names: communicationPlans)
                let changed = try connection.applyCarrierSnapshot(providerID: providerID, devices: snapshots, at: now)
                if advances { try connection.recordProviderSync(point) }
                return changed
            }
            return DeviceSyncReport(received: summaries.count, changed: changed, since: from)
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
