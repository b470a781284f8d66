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
        if options.dryRun {
            var limits = workspace.configuration.inputLimits
            limits.readBytes = options.readBytes.map(Int.init)
            return try await DryRun.stream(path: path, tenant: tenant, options: options, limits: limits, runner: self)
        }
        let intake = try await self.intake(path: path, tenant: tenant, options: options)
        return try await complete(intake.recorded, header: intake.header, options: options)
    }

    /// Pre-flight and fan-out of the pending devices, then the bulk change's status and the outbox
    /// files, written from the store.
    ///
    /// - Throws: `PipelineError.leased` when another live process works the bulk change.
    func complete(_ recorded: RecordedChange, header: RunHeader, options: RunOptions)
        async throws(PipelineError) -> RunReport
    {
        let id = recorded.bulkChangeID
        guard try await workspace.leases.claim(.bulkChange, id) else {
            throw .leased(bulkChangeID: id, holder: try await workspace.leases.holder(.bulkChange, id)?.owner ?? "?")
        }
        let report: Result<RunReport, PipelineError>
        do throws(PipelineError) {
            let finishedAll = try await apply(recorded, header: header, options: options)
            guard finishedAll else { throw .interrupted(bulkChangeID: id) }
            try await finish(id)
            try await addWarnings(await options.finalWarnings?() ?? [], to: id)
            report = .success(try await ResultFiles(workspace: workspace).write(bulkChangeID: id))
        } catch {
            report = .failure(error)
        }
        await workspace.leases.release(.bulkChange, id)
        return try report.get()
    }

    /// Pre-flight, a first read that proves the credentials, then every pending device through its
    /// processor, and the rows an earlier run left awaiting confirmation; `false` when stopped early.
    /// When Control Center fails for the whole account (`CircuitBreaker`), the rows not sent are
    /// FAILED with one reason and the run ends there.
    private func apply(_ recorded: RecordedChange, header: RunHeader, options: RunOptions) async throws(PipelineError)
        -> Bool
    {
        let id = recorded.bulkChangeID
        let breaker = CircuitBreaker()
        let shouldStop = options.shouldStop
        let fanOut = FanOut(
            workspace: workspace, changeType: header.changeType, bulkChangeID: id, progress: options.progress,
            settled: recorded.settled, total: recorded.rows, shouldStop: { shouldStop?() == true || breaker.isOpen })
        let endpoint: any JasperEndpoint
        do {
            endpoint = CircuitBreaker.Endpoint(
                base: try Preflight.check(header.provider, workspace: workspace), breaker: breaker)
        } catch {
            try await failOpen(id, reason: "\(error)", fanOut: fanOut, unsentOnly: false)
            return true
        }
        let page = try await pendingPage(id, after: 0)
        if let first = page.first, Processors.processor(for: header.changeType).callsControlCenter {
            // One cheap read proves the key before any edit: a wrong key costs this call only.
            _ = try? await endpoint.device(first.request.iccid)
            if breaker.isOpen {
                try await failOpen(id, reason: breaker.rowReason(), fanOut: fanOut, unsentOnly: false)
                return true
            }
        }
        let setup = processingSetup(header, endpoint: endpoint)
        guard try await send(id, first: page, fanOut: fanOut, setup: setup, shouldStop: shouldStop) else {
            guard breaker.isOpen else { return false }
            try await failOpen(id, reason: breaker.rowReason(), fanOut: fanOut, unsentOnly: true)
            return true
        }
        try await Confirmer(
            workspace: workspace, setup: setup, writer: GroupCommit(store: workspace.store),
            carrierClock: CarrierClock()
        )
        .confirmLeftovers(of: id)
        return !workspace.gate.isClosed
    }

    /// Every open row through the fan-out, page by page from the store, so the devices of a large
    /// file are never all in memory; `false` when it stopped first. On a shared database the
    /// pages are leased one by one, other workers help with them, and this waits for theirs.
    private func send(
        _ id: Int64, first: [PendingDevice], fanOut: FanOut, setup: ProcessingSetup,
        shouldStop: (@Sendable () -> Bool)?
    ) async throws(PipelineError) -> Bool {
        guard workspace.configuration.database != nil else {
            var page = first
            while let last = page.last {
                guard try await fanOut.run(page, setup: setup) else { return false }
                page = try await pendingPage(id, after: last.detailID)
            }
            return true
        }
        let pages = SharedPages(runner: self, bulkChangeID: id)
        while try await pages.work(with: fanOut, setup: setup), try await pages.workLeft() {
            if shouldStop?() == true || workspace.gate.isClosed { return false }
            // The pages left are other workers'; a page of one that dies is leased again here.
            try? await Task.sleep(for: Self.othersPagesPoll)
        }
        return try await !pages.workLeft()
    }

    /// How often a worker waiting for other workers' pages of its file looks again.
    static let othersPagesPoll = Duration.seconds(1)

    /// What processing a row of `header`'s bulk change needs besides the row: the store, the
    /// endpoint and the provider's settings.
    func processingSetup(_ header: RunHeader, endpoint: any JasperEndpoint) -> ProcessingSetup {
        ProcessingSetup(
            tenantID: header.tenantID, store: workspace.store, jasper: endpoint, provider: header.provider,
            costCenterFields: workspace.configuration.serviceProviders.first { $0.name == header.provider.name }?
                .costCenterFields ?? [], now: workspace.now, verification: workspace.verification, gate: workspace.gate)
    }

    /// FAILED with `reason`: every row still open (PENDING or PROCESSING), or with `unsentOnly` the
    /// PENDING ones only (a row with an edit recorded keeps it and is resumed or confirmed as usual).
    private func failOpen(_ id: Int64, reason: String, fanOut: FanOut, unsentOnly: Bool) async throws(PipelineError) {
        var page = try await pendingPage(id, after: 0)
        while let last = page.last {
            try await fanOut.failAll(unsentOnly ? page.filter { !$0.inFlight } : page, reason: reason)
            page = try await pendingPage(id, after: last.detailID)
        }
    }

    /// Adds warnings found as the bulk change ends to its summary.
    private func addWarnings(_ warnings: [String], to id: Int64) async throws(PipelineError) {
        guard !warnings.isEmpty else { return }
        do {
            try await workspace.store.write { connection in
                for warning in warnings { try connection.addBulkChangeWarning(id: id, warning) }
            }
        } catch {
            throw .store(error)
        }
    }

    /// Derives the bulk change's status from its details.
    private func finish(_ id: Int64) async throws(PipelineError) {
        let now = workspace.now()
        do {
            _ = try await workspace.store.write { connection in try connection.finishBulkChange(id: id, at: now) }
        } catch {
            throw .store(error)
        }
    }
}
