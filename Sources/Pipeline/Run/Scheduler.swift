import BulkChange
import Foundation
import Store

/// Applies queued changes whose effective date has come, and reports them as a bulk change is
/// reported.
///
/// A pass takes due entries of both queues up in one write transaction, together with the lease
/// of each entry's parent bulk change (that transaction is the claim; entries of a parent another
/// process holds wait): a customer rate plan change (store only) is applied right there, a
/// deferred row (a future-dated archival) goes back to PENDING. The entries one transaction took
/// up form a *run*. The run's deferred rows are then processed as a resumed bulk change's rows
/// (through their change type's processor, so Control Center is called, recorded and confirmed as
/// for a new file), each parent's status is derived again and its result files written again from
/// the store, and the run is reported: a results file per tenant and change type, and an email per
/// parent with rows that failed. A run a stopped or dead process left unreported is finished by
/// the next pass that can take its parents' leases.
public struct Scheduler: Sendable {
    public let workspace: Workspace
    let log: EventLog
    /// Asked before each row; `true` leaves the rest for a later pass.
    let shouldStop: (@Sendable () -> Bool)?

    public init(workspace: Workspace, log: EventLog? = nil, shouldStop: (@Sendable () -> Bool)? = nil) {
        self.workspace = workspace
        self.log = log ?? EventLog(now: workspace.now)
        self.shouldStop = shouldStop
    }

    /// Due entries one run takes up at most (one write transaction).
    static let batch = 4096

    /// What one pass reported.
    public struct Report: Sendable {
        /// The rows of the runs reported, per tenant, as their results files list them.
        public var results: [String: [ResultRow]] = [:]
        /// The results files written, per tenant.
        public var files: [String: [String]] = [:]
        /// Emails that could not be spooled (each also logged as an error).
        public var issues: [NotificationIssue] = []

        public var count: Int { results.values.reduce(0) { $0 + $1.count } }

        /// How many rows ended with `outcome`.
        public func count(_ outcome: Outcome) -> Int {
            results.values.reduce(0) { $0 + $1.filter { $0.outcome == outcome }.count }
        }

        /// Rows that FAILED or need a check on Control Center.
        public var attention: Int { count(.failed) + count(.needsCheck) }
    }

    /// Takes up every entry due by now and reports every run this process can finish.
    ///
    /// - Throws: `PipelineError` when the store or the outbox refused; the run stays unreported and
    ///   a later pass finishes it.
    public func applyDue() async throws(PipelineError) -> Report {
        var report = Report()
        var taken: Set<Int64> = []
        let failure: PipelineError?
        do {
            try await pass(taken: &taken, into: &report)
            failure = nil
        } catch {
            failure = error
        }
        for parent in taken { await workspace.leases.release(.bulkChange, parent) }
        if let failure { throw failure }
        return report
    }

    /// Takes up what is due, then finishes every unreported run; `taken` collects the parents'
    /// leases taken on the way, given back by the caller.
    private func pass(taken: inout Set<Int64>, into report: inout Report) async throws(PipelineError) {
        while !stopped, try await takeUpDue(&taken) {}
        let runs: [ScheduleRun]
        do {
            runs = try await workspace.store.read { connection in try connection.openScheduleRuns() }
        } catch {
            throw .store(error)
        }
        for run in runs where !stopped { try await finish(run, taken: &taken, into: &report) }
    }

    private var stopped: Bool { shouldStop?() == true || workspace.gate.isClosed }

    /// Works the run's deferred rows, then reports it; returns early, leaving it unreported, when
    /// another process holds one of its parents or a stop came.
    private func finish(_ run: ScheduleRun, taken: inout Set<Int64>, into report: inout Report)
        async throws(PipelineError)
    {
        let parents = Set(try await rows(of: run).map(\.detail.bulkChangeID)).sorted()
        for parent in parents {
            guard try await workspace.leases.claim(.bulkChange, parent) else { return }
            taken.insert(parent)
        }
        let runner = BulkChangeRunner(workspace: workspace)
        var parentReports: [Int64: RunReport] = [:]
        for parent in parents {
            do {
                parentReports[parent] = try await runner.resume(
                    bulkChangeID: parent, options: RunOptions(shouldStop: shouldStop))
            } catch .interrupted {
                return
            }
        }
        let rows = try await rows(of: run)
        let notifier = Notifier(workspace: workspace, log: log)
        for (parent, parentReport) in parentReports.sorted(by: { $0.key < $1.key }) {
            let failed = rows.filter { $0.detail.bulkChangeID == parent }.compactMap(Self.attentionRow)
            guard !failed.isEmpty else { continue }
            report.issues += await notifier.scheduledRowsFailed(parentReport, rows: failed, runID: run.id)
        }
        try await writeResults(of: run, rows: rows, into: &report)
        let now = workspace.now()
        do {
            try await workspace.store.write { connection in
                try connection.markScheduleRunReported(id: run.id, at: now)
            }
        } catch {
            throw .store(error)
        }
        log.event(
            "scheduled-reported",
            [
                "run": "\(run.id)", "rows": "\(rows.count)",
                "bulk_changes": parents.map { "\($0)" }.joined(separator: ","),
            ])
    }

    /// The run's rows as they stand now.
    private func rows(of run: ScheduleRun) async throws(PipelineError) -> [ScheduleRunRow] {
        do {
            return try await workspace.store.read { connection in try connection.scheduleRunRows(runID: run.id) }
        } catch {
            throw .store(error)
        }
    }

    /// A run's row as its parent's results file lists it, when it needs attention.
    private static func attentionRow(_ row: ScheduleRunRow) -> ResultRow? {
        guard let outcome = Outcome(rawValue: row.detail.status), outcome == .failed || outcome == .needsCheck,
            let type = ChangeType(rawValue: row.changeType)
        else { return nil }
        let detail = row.detail
        return ResultRow(
            row: detail.rowNumber, iccid: detail.iccid, changeType: type, outcome: outcome,
            message: detail.message ?? "", oldValue: detail.oldValue, newValue: detail.newValue,
            processedAt: detail.processedAt)
    }

    /// One results file per tenant and change type of the run: `<type>_scheduled_<start>.<run>`, a
    /// name no other run has, written again under the same name when the report is made again.
    private func writeResults(of run: ScheduleRun, rows: [ScheduleRunRow], into report: inout Report)
        async throws(PipelineError)
    {
        let tenants: [Int64: String]
        do {
            tenants = try await workspace.store.read { connection in try connection.tenantNames() }
        } catch {
            throw .store(error)
        }
        let stamp = Timestamps.iso8601(run.startedAt).replacingOccurrences(of: ":", with: "")
        let groups = Dictionary(grouping: rows) { "\(tenants[$0.tenantID] ?? "?")/\($0.changeType)" }
        let writer = OutboxWriter(root: workspace.configuration.outbox)
        let finishedAt = workspace.now()
        for key in groups.keys.sorted() {
            let group = groups[key] ?? []
            guard let first = group.first, let type = ChangeType(rawValue: first.changeType) else { continue }
            let tenant = tenants[first.tenantID] ?? "?"
            let results = group.enumerated().map { index, row in Self.resultRow(row, number: index + 1, type: type) }
            let stem = "\(type.slug)_scheduled_\(stamp).\(run.id)"
            let summary = RunSummary(
                bulkChangeID: 0, tenant: tenant, serviceProvider: "", changeType: type, sourceFile: stem + ".csv",
                status: "SCHEDULED_APPLIED", results: results, startedAt: run.startedAt, finishedAt: finishedAt,
                warnings: [])
            do {
                let paths = try await FileWork.run { () throws(OutboxError) in
                    try writer.write(
                        results: results, summary: summary, stem: stem, inputColumns: ["iccid"],
                        inputValues: Dictionary(uniqueKeysWithValues: results.map { ($0.row, [$0.iccid]) }))
                }
                report.results[tenant, default: []] += results
                report.files[tenant, default: []].append(paths.results)
            } catch {
                throw .outbox(error)
            }
        }
    }

    /// A run's row in the run's results file: numbered in the run, its message naming its source.
    private static func resultRow(_ row: ScheduleRunRow, number: Int, type: ChangeType) -> ResultRow {
        let detail = row.detail
        return ResultRow(
            row: number, iccid: detail.iccid, changeType: type, outcome: Outcome(rawValue: detail.status),
            message: "row \(detail.rowNumber) of \((row.sourceFileName as NSString).lastPathComponent) "
                + "(bulk change \(detail.bulkChangeID)): "
                + (detail.message ?? ""), oldValue: detail.oldValue, newValue: detail.newValue,
            processedAt: detail.processedAt)
    }
}
