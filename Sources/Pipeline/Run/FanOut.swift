import BulkChange
import Foundation
import Jasper
import Store
import Synchronization

/// Sends the pending devices of one bulk change through their processor over a bounded task
/// group, records each device's outcome as soon as it is known, and after each chunk confirms
/// the edits Control Center accepted (see `Confirmer`).
struct FanOut: Sendable {
    let workspace: Workspace
    let changeType: ChangeType
    let bulkChangeID: Int64
    /// Told after each device how many of the bulk change's rows are done, and of how many.
    let progress: Progress?
    /// Rows done before this run (counted in the progress, never processed).
    var settled = 0
    /// Every row of the bulk change, for the progress; when `nil`, those given to `run` and `settled`.
    var total: Int?
    /// Devices finished by this fan-out, over every page given to `run`.
    let done = DoneCounter()
    /// Asked before each device; `true` leaves the rest PENDING.
    let shouldStop: (@Sendable () -> Bool)?
    /// The lease this process must still hold to go on: the bulk change's, or the page's a helping
    /// worker took (`SharedPages`); nil for the bulk change's.
    var lease: (kind: LeaseKind, id: Int64)?

    /// Devices whose records are read from the store at a time: memory stays flat in file size.
    static let chunkSize = 4096

    /// Processes every device; at most `fanOutWidth` at once (the rate limiter paces the calls).
    /// Returns `false` when a stop left devices unprocessed.
    ///
    /// - Throws: `PipelineError.store` when a device's state cannot be recorded: no further device
    ///   starts, the ones in flight finish, and every row without a recorded outcome stays PENDING or
    ///   PROCESSING for `resume`.
    func run(_ pending: [PendingDevice], setup: ProcessingSetup) async throws(PipelineError) -> Bool {
        let writer = GroupCommit(store: workspace.store)
        let confirmer = Confirmer(workspace: workspace, setup: setup, writer: writer, carrierClock: CarrierClock())
        let before = done.value
        // Each chunk is confirmed before the next is sent: a listing taken while edits are still
        // going out would page through them too.
        for start in stride(from: 0, to: pending.count, by: Self.chunkSize) {
            if shouldStop?() == true || setup.gate.isClosed { return false }
            // A process that lost its lease (it stalled past it and another took over) stops.
            let (kind, id) = lease ?? (.bulkChange, bulkChangeID)
            guard try await workspace.leases.holds(kind, id) else { return false }
            let chunk = Array(pending[start..<min(start + Self.chunkSize, pending.count)])
            let (records, edits) = await read(chunk, setup: setup)
            try await forEachConcurrently(count: chunk.count, width: workspace.configuration.fanOutWidth) {
                index throws(PipelineError) in
                if shouldStop?() == true { return }
                let item = chunk[index]
                let journal = EditJournal(
                    detailID: item.detailID, prior: edits[item.detailID] ?? [], pending: !item.inFlight,
                    writer: writer, now: workspace.now)
                let device = records.map { $0[item.request.iccid] }
                guard try await process(item, device: device, context: setup.context(journal), writer: writer)
                else {
                    if journal.isPending {
                        // A stop came before anything was written: the row is still PENDING.
                    } else if journal.sentNothing {
                        try await release(item, journal: journal, writer: writer)
                    } else {
                        try await journal.flush()
                    }
                    return
                }
                let count = done.increment()
                progress?(settled + count, total ?? settled + pending.count)
            }
            try await confirmer.confirm(detailIDs: chunk.map(\.detailID))
        }
        return done.value - before == pending.count
    }

    /// One device; `false` when it was left for a later run (stopped before anything uncertain).
    ///
    /// - Parameter device: the device's record, `nil` when it left the inventory, or why it could not be read.
    private func process(
        _ item: PendingDevice, device: Result<DeviceRecord?, StoreError>, context: ProcessingContext,
        writer: GroupCommit
    ) async throws(PipelineError) -> Bool {
        let log = ExchangeLog()
        let result: DeviceResult?
        var deviceID: Int64?
        switch device {
        case .success(let record?):
            deviceID = record.id
            let processed = await ExchangeLog.$current.withValue(log) {
                () async -> Result<DeviceResult?, PipelineError> in
                do throws(PipelineError) {
                    return .success(
                        try await Processors.processor(for: changeType).process(
                            item.request, device: record, context: context))
                } catch {
                    return .failure(error)
                }
            }
            result = try processed.get()
        case .success(nil):
            result = .failed("the device left this tenant's inventory while the file was being processed")
        case .failure(let error):
            result = .failed("reading the device from the database failed: \(error); nothing was sent")
        }
        guard let result else { return false }
        try await record(item, deviceID: deviceID, result: result, log: log, writer: writer, setup: context)
        context.journal.written(context.journal.unwrittenAnswers)
        return true
    }

    /// Puts a row that sent nothing back to PENDING when a stop came first.
    private func release(_ item: PendingDevice, journal: EditJournal, writer: GroupCommit)
        async throws(PipelineError)
    {
        let answers = journal.unwrittenAnswers
        do {
            try await writer.write { connection in
                try EditJournal.write(answers, in: connection)
                try connection.releaseDetail(detailID: item.detailID)
            }
        } catch {
            throw .store(error)
        }
        journal.written(answers)
    }

    /// The inventory records of a chunk's devices by ICCID (or why they cannot be read: each device
    /// then fails with that reason instead of being lost), and the carrier edits earlier runs
    /// recorded for its rows.
    private func read(_ chunk: [PendingDevice], setup: ProcessingSetup) async
        -> (Result<[String: DeviceRecord], StoreError>, [Int64: [CarrierEditRecord]])
    {
        let iccids = chunk.map(\.request.iccid)
        let detailIDs = chunk.map(\.detailID)
        let (tenantID, providerID) = (setup.tenantID, setup.provider.id ?? 0)
        do {
            return try await workspace.store.read { connection in
                (
                    .success(try connection.devices(tenantID: tenantID, providerID: providerID, iccids: iccids)),
                    try connection.carrierEdits(detailIDs: detailIDs)
                )
            }
        } catch {
            return (.failure(error), [:])
        }
    }

    /// Pre-flight failed: every pending device becomes FAILED with `reason`, without a call. Rows
    /// that were in flight when an earlier run stopped are left as they are: whether their edit
    /// landed can only be read on Control Center, so they wait for a run that can reach it.
    func failAll(_ pending: [PendingDevice], reason: String) async throws(PipelineError) {
        let now = workspace.now()
        do {
            try await workspace.store.write { connection in
                for item in pending where !item.inFlight {
                    try connection.markProcessing(detailID: item.detailID)
                    try OutcomeRecorder.record(
                        OutcomeRecorder.Entry(
                            detailID: item.detailID, deviceID: nil, result: .failed(reason),
                            exchanges: [], note: "pre-flight", at: now), in: connection)
                }
            }
        } catch {
            throw .store(error)
        }
    }

    /// Writes the device's outcome. When that write fails, the row is written FAILED with the
    /// outcome it had and why it could not be saved; when even that fails, the row stays PROCESSING
    /// (resumed as in flight) and the run stops with the error.
    private func record(
        _ item: PendingDevice, deviceID: Int64?, result: DeviceResult, log: ExchangeLog, writer: GroupCommit,
        setup context: ProcessingContext
    ) async throws(PipelineError) {
        let entry = OutcomeRecorder.Entry(
            detailID: item.detailID, deviceID: deviceID, result: result, exchanges: log.exchanges,
            note: changeType.slug, at: workspace.now(),
            waiting: OutcomeRecorder.Waiting(
                bulkChangeID: bulkChangeID, providerID: context.provider.id ?? 0,
                window: workspace.configuration.confirmationWindow))
        // The answers Control Center gave go in the same transaction as the outcome (and the move
        // to PROCESSING, for a row that wrote nothing before).
        let answers = context.journal.unwrittenAnswers
        let claim = context.journal.isPending
        do {
            try await writer.write { connection in
                if claim { try connection.markProcessing(detailID: item.detailID) }
                try EditJournal.write(answers, in: connection)
                try OutcomeRecorder.record(entry, in: connection)
            }
        } catch {
            var failed = entry
            failed.result = .failed(
                "the outcome (\(result.outcome.rawValue): \(result.message)) could not be saved: \(error); "
                    + "run 'bulkdrop devices sync' to bring the inventory up to date")
            failed.result.deviceChanges = [:]
            failed.result.queued = nil
            failed.result.deferredUntil = nil
            failed.result.awaiting = nil
            do {
                try await writer.write { [failed] connection in
                    if claim { try connection.markProcessing(detailID: item.detailID) }
                    try EditJournal.write(answers, in: connection)
                    try OutcomeRecorder.record(failed, in: connection)
                }
            } catch let second {
                throw .unrecorded(detailID: item.detailID, outcome: result.outcome.rawValue, reason: second)
            }
        }
    }
}

/// What every device of one bulk change is processed with: the provider, its endpoint, the clock,
/// the verification policy and the stop gate.
struct ProcessingSetup: Sendable {
    let tenantID: Int64
    /// The store, for what a processor must know beyond the row (edits still pending on the carrier).
    let store: Store
    let jasper: any JasperEndpoint
    let provider: ServiceProviderRecord
    /// The account custom fields that hold cost centres 1…3 (`ProviderSettings.costCenterFields`).
    var costCenterFields: [String] = []
    let now: @Sendable () -> Date
    let verification: VerificationPolicy
    let gate: CallGate

    /// The context of one row.
    func context(_ journal: EditJournal) -> ProcessingContext {
        ProcessingContext(setup: self, journal: journal)
    }
}

/// Checks, before any device is touched, that the provider can be written to.
enum Preflight {
    static func check(_ provider: ServiceProviderRecord, workspace: Workspace) throws(PreflightFailure)
        -> any JasperEndpoint
    {
        guard provider.writesEnabled else { throw .writesDisabled(provider: provider.name) }
        return try workspace.endpoint(for: provider)
    }
}

/// Counts finished devices across the fan-out's tasks.
final class DoneCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Adds one and returns the new count.
    func increment() -> Int { count.add(1, ordering: .relaxed).newValue }

    var value: Int { count.load(ordering: .relaxed) }
}
