import Foundation
import Pipeline
import Store

/// Everything `/metrics` and the status page show, read at one moment: the store's totals and
/// recent bulk changes (every worker's), the files in progress, notifications, and this process's
/// Control Center calls.
struct ServiceObservation: Sendable {
    /// A file being applied, with how far along it is.
    struct RunningFile: Sendable {
        var tenant: String
        var file: String
        var claimedAt: Date
        var bulkChange: BulkChangeRecord?

        /// Rows with an outcome (neither PENDING nor PROCESSING) and all rows.
        var progress: (done: Int, total: Int) {
            let counts = bulkChange?.counts ?? [:]
            let total = counts.values.reduce(0, +)
            return (total - (counts["PENDING"] ?? 0) - (counts["PROCESSING"] ?? 0), total)
        }

        /// Seconds left at the pace since the bulk change started; nil before any row is done.
        func secondsLeft(at now: Date) -> Double? {
            let (done, total) = progress
            guard done > 0, let started = bulkChange?.startedAt else { return nil }
            let elapsed = max(now.timeIntervalSince(started), 1)
            return Double(total - done) / (Double(done) / elapsed)
        }
    }

    /// A configured provider, its rate limit and what this process's calls to it did.
    struct Provider: Sendable {
        var name: String
        var callsPerSecondLimit: Double
        var calls: ProviderCallsSnapshot?
        /// Every worker's calls per minute over the last hour, oldest first (the status page reads
        /// the other workers' from the store; `/metrics` leaves this to Prometheus).
        var everyWorkersCallsPerMinute: [Int] = []
    }

    var readAt: Date
    var tenants: [String]
    var counts: ServiceCounts
    var running: [RunningFile]
    /// The most recent bulk changes of each configured tenant, newest first.
    var recentByTenant: [(tenant: String, changes: [BulkChangeRecord])]
    var deadNotifications: [NotificationRecord]
    var providers: [Provider]
    /// The `bulkdrop run` processes with a heartbeat in the store, and what each holds.
    var workers: [WorkerRecord]
    /// How long a lease lasts: a worker silent for longer has stopped or lost the store.
    var leaseSeconds: Double

    /// How many bulk changes of each tenant the status page lists.
    static let recentPerTenant = 50

    /// What a reading is for: each reads only what it shows, since counting rows scans every detail
    /// and the recent bulk changes are counted one by one.
    enum Purpose: Sendable {
        /// `/metrics`: the store's totals with rows by change type, and the calls.
        case metrics
        /// The status page: everything but rows by change type.
        case page
    }

    /// Reads the observation from the workspace's store and call metrics.
    static func read(_ workspace: Workspace, for purpose: Purpose) async throws(StoreError) -> ServiceObservation {
        let now = workspace.now()
        let tenants = workspace.configuration.tenants
        let leaseSeconds = workspace.leases.duration.seconds
        let calls = workspace.callMetrics.snapshot()
        let providers = workspace.configuration.serviceProviders.map { settings in
            Provider(name: settings.name, callsPerSecondLimit: settings.callsPerSecond, calls: calls[settings.name])
        }
        let forPage = purpose == .page
        let (owner, currentMinute) = (workspace.leases.owner, CallMetrics.minute(of: Date()))
        return try await workspace.store.read { connection in
            let counts = try connection.serviceCounts(now: now, countingRows: !forPage)
            guard forPage else {
                return ServiceObservation(
                    readAt: now, tenants: tenants, counts: counts, running: [], recentByTenant: [],
                    deadNotifications: [], providers: providers, workers: [], leaseSeconds: leaseSeconds)
            }
            let names = try connection.tenantNames()
            var running: [RunningFile] = []
            for entry in try connection.openLedgerEntries() {
                var change: BulkChangeRecord?
                if let id = entry.bulkChangeID { change = try connection.bulkChange(id: id) }
                running.append(
                    RunningFile(
                        tenant: names[entry.tenantID] ?? "?", file: entry.originalName, claimedAt: entry.claimedAt,
                        bulkChange: change))
            }
            let others = try connection.callMinutes(
                from: currentMinute - Int64(CallMetrics.historyMinutes) + 1, excluding: owner)
            let providers = providers.map { provider in
                var provider = provider
                var perMinute =
                    provider.calls?.callsPerMinute ?? Array(repeating: 0, count: CallMetrics.historyMinutes)
                for row in others where row.provider == provider.name {
                    let index = Int(row.minute - currentMinute) + CallMetrics.historyMinutes - 1
                    if perMinute.indices.contains(index) { perMinute[index] += row.calls }
                }
                provider.everyWorkersCallsPerMinute = perMinute
                return provider
            }
            var recent: [(tenant: String, changes: [BulkChangeRecord])] = []
            for tenant in tenants {
                guard let id = try connection.tenantID(named: tenant) else { continue }
                recent.append((tenant, try connection.recentBulkChanges(limit: recentPerTenant, tenantID: id)))
            }
            return ServiceObservation(
                readAt: now, tenants: tenants, counts: counts, running: running,
                recentByTenant: recent, deadNotifications: try connection.notifications(status: .dead),
                providers: providers, workers: try connection.workers(now: now), leaseSeconds: leaseSeconds)
        }
    }
}
