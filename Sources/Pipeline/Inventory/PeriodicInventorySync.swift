import Foundation
import Store
import Synchronization

/// The service loop's inventory sync: every `inventorySyncMinutes` each provider's devices modified
/// on Control Center since its last sync are pulled (`InventorySync`), by one process at a time.
///
/// When a provider is due is read from the store (`provider_sync.synced_at`), so several services
/// on one state directory share one schedule; the one that takes the provider's lease syncs it and
/// the others leave it. A failed sync is logged and tried again an interval later.
final class PeriodicInventorySync: Sendable {
    private let workspace: Workspace
    private let log: EventLog
    /// Time between two syncs of a provider; 0 turns the sync off.
    private let interval: TimeInterval
    private let state = Mutex(State())

    private struct State {
        var running = false
        /// When the store is read again to see whether a provider is due.
        var nextCheck: Date?
        /// Providers whose last sync failed, and when to try them again.
        var retryAfter: [Int64: Date] = [:]
    }

    /// How often the store is asked whether a sync is due, at most (less often with a shorter interval).
    static let checkInterval: TimeInterval = 60

    init(workspace: Workspace, log: EventLog) {
        self.workspace = workspace
        self.log = log
        interval = Double(workspace.configuration.inventorySyncMinutes) * 60
    }

    /// Adds a task to `group` that syncs the providers due, unless the sync is off, one is running
    /// or the last look was too recent. The loop goes on meanwhile.
    func startDue(in group: inout TaskGroup<Void>) {
        guard interval > 0 else { return }
        let now = workspace.now()
        let start = state.withLock { state in
            guard !state.running, state.nextCheck.map({ now >= $0 }) ?? true else { return false }
            state.running = true
            return true
        }
        guard start else { return }
        group.addTask { [self] in
            await syncDue()
            let next = workspace.now().addingTimeInterval(min(interval, Self.checkInterval))
            state.withLock { state in
                state.running = false
                state.nextCheck = next
            }
        }
    }

    /// Syncs each configured provider that is due and whose lease this process gets.
    func syncDue() async {
        for settings in workspace.configuration.serviceProviders where !workspace.gate.isClosed {
            do {
                try await syncIfDue(settings.name)
            } catch {
                log.event("inventory-sync-failed", level: .error, ["provider": settings.name, "reason": "\(error)"])
            }
        }
    }

    private func syncIfDue(_ name: String) async throws(PipelineError) {
        guard let id = try await workspace.provider(named: name).id else { return }
        let now = workspace.now()
        if let retry = state.withLock({ $0.retryAfter[id] }), now < retry { return }
        guard try await isDue(id, now: now), try await workspace.leases.claim(.inventorySync, id) else { return }
        let outcome: Result<Void, PipelineError>
        do throws(PipelineError) {
            // Another process may have synced between the look and the lease.
            if try await isDue(id, now: now) { try await sync(name, id: id, now: now) }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await workspace.leases.release(.inventorySync, id)
        try outcome.get()
    }

    private func sync(_ name: String, id: Int64, now: Date) async throws(PipelineError) {
        do {
            let report = try await InventorySync(workspace: workspace).syncDevices(provider: name)
            state.withLock { _ = $0.retryAfter.removeValue(forKey: id) }
            log.event(
                "inventory-synced",
                [
                    "provider": name, "since": Timestamps.iso8601(report.since), "received": "\(report.received)",
                    "changed": "\(report.changed)",
                ])
        } catch {
            state.withLock { $0.retryAfter[id] = now.addingTimeInterval(interval) }
            throw error
        }
    }

    /// Whether the provider was never synced, or not within the interval.
    private func isDue(_ providerID: Int64, now: Date) async throws(PipelineError) -> Bool {
        do {
            let last = try await workspace.store.read { connection in
                try connection.providerSync(providerID: providerID)
            }
            return last.map { now.timeIntervalSince($0.syncedAt) >= interval } ?? true
        } catch {
            throw .store(error)
        }
    }
}
