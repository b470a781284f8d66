import BulkChange
import Foundation
import Jasper
import Store

/// Runs one bulk-change file through the whole pipeline: read, validate against the tenant's
/// inventory, record the bulk change and one detail per row, pre-flight the provider, fan the
/// devices out to their processor, derive the bulk change's status, and write the outbox files.
public struct BulkChangeRunner: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Processes the file at `path` for `tenant`; with `dryRun` it validates and reports without
    /// calling Control Center or changing data.
    ///
    /// - Parameters:
    ///   - provider: the service provider when the file does not name one; by default the only
    ///     configured provider.
    ///   - progress: told after each device how many of the valid rows are done, and of how many.
    /// - Throws: `PipelineError` when the file cannot be read or names an unknown tenant or provider;
    ///   a row's failure is never thrown but reported as its outcome.
    public func run(
        path: String, tenant: String, provider: String? = nil, dryRun: Bool = false, progress: Progress? = nil
    ) async throws(PipelineError) -> RunReport {
        try await run(
            path: path, tenant: tenant, options: RunOptions(provider: provider, dryRun: dryRun, progress: progress))
    }

    /// Processes the file at `path` for `tenant` as `options` say.
    ///
    /// - Throws: `PipelineError.interrupted` when `options.shouldStop` stopped it with devices
    ///   left PENDING; `resume` finishes such a bulk change.
    public func run(path: String, tenant: String, options: RunOptions) async throws(PipelineError) -> RunReport {
        let intake = try await self.intake(path: path, tenant: tenant, options: options)
        switch intake.work {
        case .dryRun(let results):
            return try await report(
                results: results, status: "VALIDATED", bulkChangeID: 0, header: intake.header, input: intake.input,
                dryRun: true)
        case .recorded(let recorded):
            return try await complete(recorded, header: intake.header, input: intake.input, options: options)
        }
    }

    /// Pre-flight and fan-out of the pending devices, then the bulk change's status and the outbox files.
    func complete(_ recorded: RecordedChange, header: RunHeader, input: InputKept, options: RunOptions)
        async throws(PipelineError) -> RunReport
    {
        let finishedAll = try await apply(recorded, header: header, options: options)
        guard finishedAll else { throw .interrupted(bulkChangeID: recorded.bulkChangeID) }
        let (results, status) = try await finish(recorded.bulkChangeID, type: header.changeType)
        return try await report(
            results: results, status: status, bulkChangeID: recorded.bulkChangeID, header: header, input: input,
            dryRun: false)
    }

    /// Writes the outbox files of a run (on a file-work thread).
    private func report(
        results: [ResultRow], status: String, bulkChangeID: Int64, header: RunHeader, input: InputKept, dryRun: Bool
    ) async throws(PipelineError) -> RunReport {
        let summary = RunSummary(
            bulkChangeID: bulkChangeID, tenant: header.tenant, serviceProvider: header.provider.name,
            changeType: header.changeType, sourceFile: header.sourceFile, status: status, results: results,
            startedAt: header.startedAt, finishedAt: workspace.now(), warnings: input.warnings)
        let writer = OutboxWriter(root: workspace.configuration.outbox, variant: dryRun ? "validation" : nil)
        do {
            let paths = try await FileWork.run { () throws(OutboxError) in
                try writer.write(
                    results: results, summary: summary, inputColumns: input.columns, inputValues: input.values)
            }
            return RunReport(summary: summary, results: results, paths: paths)
        } catch {
            throw .outbox(error)
        }
    }

    /// Pre-flight, then every pending device through its processor; `false` when stopped early.
    private func apply(_ recorded: RecordedChange, header: RunHeader, options: RunOptions) async throws(PipelineError)
        -> Bool
    {
        let fanOut = FanOut(
            workspace: workspace, changeType: header.changeType, progress: options.progress,
            shouldStop: options.shouldStop)
        let endpoint: any JasperEndpoint
        do {
            endpoint = try Preflight.check(header.provider, workspace: workspace)
        } catch {
            try await fanOut.failAll(recorded.pending, reason: "\(error)")
            return true
        }
        return try await fanOut.run(
            recorded.pending,
            context: ProcessingContext(
                tenantID: header.tenantID, jasper: endpoint, provider: header.provider, now: workspace.now,
                verification: workspace.verification))
    }

    /// Derives the bulk change's status from its details and reads them back as result rows.
    ///
    /// - Throws: `PipelineError.unfinished` when a row is still PENDING or PROCESSING: such a bulk
    ///   change is resumed, never reported as if it were done.
    private func finish(_ id: Int64, type: ChangeType) async throws(PipelineError) -> ([ResultRow], String) {
        let now = workspace.now()
        let finished: Result<([ResultRow], String), PipelineError>
        do {
            finished = try await workspace.store.write { connection in
                let change = try connection.finishBulkChange(id: id, at: now)
                let details = try connection.details(bulkChangeID: id, withRequests: false)
                var rows: [ResultRow] = []
                rows.reserveCapacity(details.count)
                for detail in details {
                    guard let outcome = Outcome(rawValue: detail.status) else {
                        let open = details.count { Outcome(rawValue: $0.status) == nil }
                        return .failure(.unfinished(bulkChangeID: id, open: open))
                    }
                    rows.append(
                        ResultRow(
                            row: detail.rowNumber, iccid: detail.iccid, changeType: type, outcome: outcome,
                            message: detail.message ?? "", oldValue: detail.oldValue, newValue: detail.newValue,
                            processedAt: detail.processedAt))
                }
                return .success((rows, change.status))
            }
        } catch {
            throw .store(error)
        }
        return try finished.get()
    }
}
