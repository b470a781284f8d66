import BulkChange
import Foundation
import Jasper
import Store
import Synchronization

/// Sends the pending devices of one bulk change through their processor over a bounded task
/// group, and records each device's outcome as soon as it is known.
struct FanOut: Sendable {
    let workspace: Workspace
    let changeType: ChangeType
    /// Told after each device how many of them are done.
    let progress: Progress?
    /// Asked before each device; `true` leaves the rest PENDING.
    let shouldStop: (@Sendable () -> Bool)?

    /// Devices whose records are read from the store at a time: memory stays flat in file size.
    static let chunkSize = 4096

    /// Processes every device; at most `fanOutWidth` at once (the rate limiter paces the calls).
    /// Returns `false` when `shouldStop` left devices unprocessed.
    ///
    /// - Throws: `PipelineError.store` when a device's state cannot be recorded: no further device
    ///   starts, the ones in flight finish, and every row without a recorded outcome stays PENDING or
    ///   PROCESSING for `resume`.
    func run(_ pending: [PendingDevice], context: ProcessingContext) async throws(PipelineError) -> Bool {
        let writer = GroupCommit(store: workspace.store)
        let done = DoneCounter()
        for start in stride(from: 0, to: pending.count, by: Self.chunkSize) {
            if shouldStop?() == true { return false }
            let chunk = Array(pending[start..<min(start + Self.chunkSize, pending.count)])
            let records = await devices(of: chunk, context: context)
            try await forEachConcurrently(count: chunk.count, width: workspace.configuration.fanOutWidth) {
                index throws(PipelineError) in
                if shouldStop?() == true { return }
                let device = records.map { $0[chunk[index].request.iccid] }
                try await process(chunk[index], device: device, context: context, writer: writer)
                let count = done.increment()
                progress?(count, pending.count)
            }
        }
        return done.value == pending.count
    }

    /// - Parameter device: the device's record, `nil` when it left the inventory, or why it could not be read.
    private func process(
        _ item: PendingDevice, device: Result<DeviceRecord?, StoreError>, context: ProcessingContext,
        writer: GroupCommit
    ) async throws(PipelineError) {
        if !item.inFlight {
            guard try await claim(item, writer: writer) else { return }
        }
        var context = context
        context.resuming = item.inFlight
        let log = ExchangeLog()
        let result: DeviceResult
        var deviceID: Int64?
        switch device {
        case .success(let record?):
            deviceID = record.id
            result = await ExchangeLog.$current.withValue(log) {
                await Processors.processor(for: changeType).process(item.request, device: record, context: context)
            }
        case .success(nil):
            result = .failed("the device left this tenant's inventory while the file was being processed")
        case .failure(let error):
            result = .failed("reading the device from the database failed: \(error); nothing was sent")
        }
        try await record(item, deviceID: deviceID, result: result, log: log, writer: writer)
    }

    /// Moves the row from PENDING to PROCESSING; `false` when it already has its final outcome (an
    /// earlier run recorded it), so there is nothing left to do for it.
    ///
    /// - Throws: `PipelineError.store` for any other refusal or failure: the row's state is then
    ///   unknown here, and it must not be sent.
    private func claim(_ item: PendingDevice, writer: GroupCommit) async throws(PipelineError) -> Bool {
        do {
            try await writer.write { connection in try connection.markProcessing(detailID: item.detailID) }
            return true
        } catch {
            if case .detailTransition(_, let from?, _) = error, Outcome(rawValue: from) != nil { return false }
            throw .store(error)
        }
    }

    /// The inventory records of a chunk's devices, by ICCID, or why they cannot be read (each
    /// device then fails with that reason instead of being lost).
    private func devices(of chunk: [PendingDevice], context: ProcessingContext) async
        -> Result<[String: DeviceRecord], StoreError>
    {
        let iccids = chunk.map(\.request.iccid)
        let (tenantID, providerID) = (context.tenantID, context.provider.id ?? 0)
        do {
            return .success(
                try await workspace.store.read { connection in
                    try connection.devices(tenantID: tenantID, providerID: providerID, iccids: iccids)
                })
        } catch {
            return .failure(error)
        }
    }

    /// Pre-flight failed: every pending device becomes FAILED with `reason`, without a call.
    func failAll(_ pending: [PendingDevice], reason: String) async throws(PipelineError) {
        let now = workspace.now()
        do {
            try await workspace.store.write { connection in
                for item in pending {
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
        _ item: PendingDevice, deviceID: Int64?, result: DeviceResult, log: ExchangeLog, writer: GroupCommit
    ) async throws(PipelineError) {
        let entry = OutcomeRecorder.Entry(
            detailID: item.detailID, deviceID: deviceID, result: result, exchanges: log.exchanges,
            note: changeType.slug, at: workspace.now())
        do {
            try await writer.write { connection in try OutcomeRecorder.record(entry, in: connection) }
        } catch {
            var failed = entry
            failed.result = .failed(
                "the outcome (\(result.outcome.rawValue): \(result.message)) could not be saved: \(error); "
                    + "run 'bulkdrop devices sync' to bring the inventory up to date")
            failed.result.deviceChanges = [:]
            failed.result.queued = nil
            do {
                try await writer.write { [failed] connection in try OutcomeRecorder.record(failed, in: connection) }
            } catch let second {
                throw .unrecorded(detailID: item.detailID, outcome: result.outcome.rawValue, reason: second)
            }
        }
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
