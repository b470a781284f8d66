import BulkChange
import Foundation
import Store

/// Applies queued customer rate plan changes whose effective date has come, and reports them:
/// each queue entry's detail moves from SCHEDULED to PROCESSED (or FAILED), and a results file per
/// tenant lists what was applied.
public struct Scheduler: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// What one pass applied, per tenant, with the results file written for each.
    public struct Report: Sendable {
        public var results: [String: [ResultRow]]
        public var files: [String: String]

        public var count: Int { results.values.reduce(0) { $0 + $1.count } }
    }

    /// Applies every entry due by now.
    ///
    /// The due entries are read, applied and marked in one write transaction: that transaction is
    /// the claim. Any other process (`run`, `schedule`, `process`) waits for the store's write lock
    /// and then finds them applied, so no entry is applied twice. (Applying is a store update here;
    /// Control Center is not called.)
    public func applyDue() async throws(PipelineError) -> Report {
        let now = workspace.now()
        let applied: [(tenant: String, row: ResultRow)]
        do {
            applied = try await workspace.store.write { connection in
                try connection.dueRatePlanChanges(asOf: now).map { entry throws(StoreError) in
                    try apply(entry, now: now, in: connection)
                }
            }
        } catch {
            throw .store(error)
        }
        var report = Report(results: [:], files: [:])
        for (tenant, row) in applied {
            var numbered = row
            numbered.row = (report.results[tenant]?.count ?? 0) + 1
            report.results[tenant, default: []].append(numbered)
        }
        let stamp = Timestamps.iso8601(now).replacingOccurrences(of: ":", with: "")
        let writer = OutboxWriter(root: workspace.configuration.outbox)
        for (tenant, rows) in report.results {
            let name = "\(ChangeType.customerRatePlan.slug)_scheduled_\(stamp).csv"
            let summary = RunSummary(
                bulkChangeID: 0, tenant: tenant, serviceProvider: "", changeType: .customerRatePlan, sourceFile: name,
                status: "SCHEDULED_APPLIED", results: rows, startedAt: now, finishedAt: workspace.now(), warnings: [])
            do {
                let paths = try await FileWork.run { () throws(OutboxError) in
                    // Two passes within a second never share a name: the later one gets a number.
                    let base = OutboxWriter.stem(of: name)
                    var (stem, number) = (base, 1)
                    while FileManager.default.fileExists(atPath: writer.paths(tenant: tenant, stem: stem).results) {
                        number += 1
                        stem = "\(base)-\(number)"
                    }
                    return try writer.write(
                        results: rows, summary: summary, stem: stem, inputColumns: ["iccid"],
                        inputValues: Dictionary(uniqueKeysWithValues: rows.map { ($0.row, [$0.iccid]) }))
                }
                report.files[tenant] = paths.results
            } catch {
                throw .outbox(error)
            }
        }
        return report
    }

    /// Applies one due entry in the current transaction; the tenant and the result row.
    private func apply(_ entry: QueuedRatePlanChange, now: Date, in connection: StoreConnection) throws(StoreError)
        -> (String, ResultRow)
    {
        let detail = try connection.detail(id: entry.detailID)
        let device = try connection.device(id: entry.deviceID)
        let tenant =
            try device.flatMap { device throws(StoreError) in try connection.tenantName(id: device.tenantID) } ?? ""
        let source =
            try detail.flatMap { detail throws(StoreError) in
                try connection.bulkChange(id: detail.bulkChangeID).map {
                    "row \(detail.rowNumber) of \($0.sourceFileName)"
                }
            } ?? "an unknown row"
        let requested = CustomerRatePlanProcessor.describe(plan: entry.customerRatePlan, pool: entry.customerPool)
        let (outcome, message): (Outcome, String)
        if let device, device.archivedAt == nil {
            let changes = CustomerRatePlanProcessor.changes(
                plan: entry.customerRatePlan, pool: entry.customerPool, allocation: entry.dataAllocationMB, on: device)
            if !changes.isEmpty {
                _ = try connection.updateDevice(id: entry.deviceID, changes: changes, at: now, detailID: entry.detailID)
            }
            (outcome, message) = (
                .processed, "\(source): scheduled change applied (due \(Timestamps.day(entry.effectiveDate)))"
            )
        } else {
            (outcome, message) = (.failed, "\(source): the device was archived or removed before the change was due")
        }
        try connection.markApplied(queueID: entry.id ?? 0, outcome: outcome.rawValue, message: message, at: now)
        try connection.updateScheduledDetail(
            detailID: entry.detailID, status: outcome.rawValue, message: message, newValue: requested, at: now)
        let row = ResultRow(
            row: 0, iccid: device?.iccid ?? detail?.iccid ?? "", changeType: .customerRatePlan,
            outcome: outcome, message: message, oldValue: nil, newValue: requested, processedAt: now)
        return (tenant, row)
    }
}
