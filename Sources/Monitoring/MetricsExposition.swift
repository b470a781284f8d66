import Pipeline
import Store

/// `/metrics`: an observation in the Prometheus text format.
///
/// Files, rows, the confirmation backlog, notifications and leases are the store's totals, the same
/// on every worker (take `max` across workers, not `sum`); carrier calls are this process's own
/// (take `sum`). Counters read from the store go down when retention purges old records, which
/// Prometheus treats as a counter reset.
enum MetricsExposition {
    static func text(_ observation: ServiceObservation) -> String {
        var metrics = PrometheusText()
        addFiles(observation, to: &metrics)
        metrics.add(
            "bulkdrop_rows_total", .counter, help: "Rows of bulk changes by change type and outcome.",
            observation.counts.rowsByChangeType.map {
                .init([("change_type", $0.first), ("outcome", $0.second.lowercased())], $0.count)
            })
        addCalls(observation.providers, to: &metrics)
        metrics.add(
            "bulkdrop_confirmation_backlog", .gauge,
            help: "Rows whose edit Control Center accepted and BulkDrop is still confirming.",
            [.init([], observation.counts.confirmationBacklog)])
        metrics.add(
            "bulkdrop_notifications_waiting", .gauge, help: "Notification emails waiting to be sent.",
            [.init([], observation.counts.notifications[NotificationStatus.pending.rawValue] ?? 0)])
        metrics.add(
            "bulkdrop_notifications_dead", .gauge, help: "Notification emails given up after their last attempt.",
            [.init([], observation.counts.notifications[NotificationStatus.dead.rawValue] ?? 0)])
        metrics.add(
            "bulkdrop_leases_held", .gauge, help: "Unexpired leases on work, by kind, across all workers.",
            LeaseKind.allCases.map {
                .init([("kind", $0.rawValue.lowercased())], observation.counts.leases[$0.rawValue] ?? 0)
            })
        return metrics.text
    }

    /// Files by ledger status, per tenant; every configured tenant has a sample, also at 0.
    private static func addFiles(_ observation: ServiceObservation, to metrics: inout PrometheusText) {
        let tenants = Set(observation.tenants).union(observation.counts.filesByTenant.map(\.first)).sorted()
        func files(_ statuses: Set<LedgerStatus>) -> [PrometheusText.Sample] {
            tenants.map { tenant in
                let count = observation.counts.filesByTenant.filter {
                    $0.first == tenant && LedgerStatus(rawValue: $0.second).map(statuses.contains) == true
                }.reduce(0) { $0 + $1.count }
                return .init([("tenant", tenant)], count)
            }
        }
        metrics.add(
            "bulkdrop_files_claimed_total", .counter, help: "Files claimed from the inbox, per tenant.",
            files(Set(LedgerStatus.allCases)))
        metrics.add(
            "bulkdrop_files_applied_total", .counter, help: "Files applied to the carrier, per tenant.", files([.done]))
        metrics.add(
            "bulkdrop_files_rejected_total", .counter,
            help: "Files rejected before any edit (unreadable, invalid, a duplicate of an applied file), per tenant.",
            files([.rejected, .duplicate]))
        metrics.add(
            "bulkdrop_files_in_progress", .gauge, help: "Files claimed and not finished yet, per tenant.",
            files([.claimed]))
    }

    /// This process's Control Center calls per provider.
    private static func addCalls(_ providers: [ServiceObservation.Provider], to metrics: inout PrometheusText) {
        let called = providers.compactMap { provider in provider.calls.map { (provider.name, $0) } }
        metrics.add(
            "bulkdrop_carrier_calls_total", .counter,
            help: "Control Center calls by provider and result: the HTTP status, or what went wrong without one.",
            called.flatMap { name, calls in
                calls.callsByResult.sorted { $0.key < $1.key }.map {
                    .init([("provider", name), ("code", $0.key)], $0.value)
                }
            })
        metrics.add(
            "bulkdrop_carrier_calls_throttled_total", .counter, help: "Control Center calls refused as over the rate.",
            called.map { .init([("provider", $0.0)], $0.1.throttled) })
        metrics.add(
            "bulkdrop_carrier_call_retries_total", .counter, help: "Control Center calls sent again after a failure.",
            called.map { .init([("provider", $0.0)], $0.1.retries) })
        metrics.add(
            "bulkdrop_carrier_call_duration_seconds", .histogram, help: "Time of Control Center calls on the wire.",
            called.flatMap { name, calls in histogram(calls, provider: name) })
        metrics.add(
            "bulkdrop_carrier_calls_per_second", .gauge,
            help: "Control Center calls per second over the last \(CallMetrics.rateWindowSeconds) seconds.",
            providers.map { .init([("provider", $0.name)], $0.calls?.callsPerSecond ?? 0) })
        metrics.add(
            "bulkdrop_carrier_call_limit_per_second", .gauge, help: "The configured call rate limit of each provider.",
            providers.map { .init([("provider", $0.name)], $0.callsPerSecondLimit) })
    }

    private static func histogram(_ calls: ProviderCallsSnapshot, provider: String) -> [PrometheusText.Sample] {
        var cumulative = 0
        var samples: [PrometheusText.Sample] = []
        for (index, count) in calls.latencyCounts.enumerated() {
            cumulative += count
            let bound =
                index < CallMetrics.latencyBuckets.count
                ? PrometheusText.number(CallMetrics.latencyBuckets[index]) : "+Inf"
            samples.append(.init(suffix: "_bucket", [("provider", provider), ("le", bound)], Double(cumulative)))
        }
        samples.append(.init(suffix: "_sum", [("provider", provider)], calls.latencySumSeconds))
        samples.append(.init(suffix: "_count", [("provider", provider)], Double(cumulative)))
        return samples
    }
}
