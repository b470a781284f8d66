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
    func run(_ pending: [PendingDevice], context: ProcessingContext) async -> Bool {
        let writer = GroupCommit(store: workspace.store)
        let done = DoneCounter()
        for start in stride(from: 0, to: pending.count, by: Self.chunkSize) {
            if shouldStop?() == true { return false }
            let chunk = Array(pending[start..<min(start + Self.chunkSize, pending.count)])
            let records = await devices(of: chunk, context: context)
            await forEachConcurrently(count: chunk.count, width: workspace.configuration.fanOutWidth) { index in
                if shouldStop?() == true { return }
                let device = records.map { $0[chunk[index].request.iccid] }
                await process(chunk[index], device: device, context: context, writer: writer)
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
    ) async {
        if !item.inFlight {
            do {
                try await writer.write { connection in try connection.markProcessing(detailID: item.detailID) }
            } catch {
                return  // Not ours to process (already moved on): leave its recorded state alone.
            }
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
        await record(item, deviceID: deviceID, result: result, log: log, writer: writer)
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

    private func record(
        _ item: PendingDevice, deviceID: Int64?, result: DeviceResult, log: ExchangeLog, writer: GroupCommit
    ) async {
        let entry = OutcomeRecorder.Entry(
            detailID: item.detailID, deviceID: deviceID, result: result, exchanges: log.exchanges,
            note: changeType.slug, at: workspace.now())
        do {
            try await writer.write { connection in try OutcomeRecorder.record(entry, in: connection) }
        } catch {
            // The device's own write failed; say so on the detail rather than lose the outcome.
            var failed = entry
            failed.result = .failed(
                "the outcome (\(result.outcome.rawValue): \(result.message)) could not be saved: \(error); "
                    + "run 'bulkdrop devices sync' to bring the inventory up to date")
            failed.result.deviceChanges = [:]
            failed.result.queued = nil
            try? await writer.write { [failed] connection in try OutcomeRecorder.record(failed, in: connection) }
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
