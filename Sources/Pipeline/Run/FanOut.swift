import BulkChange
import Foundation
import Jasper
import Store

/// Sends the pending devices of one bulk change through their processor over a bounded task
/// group, and records each device's outcome as soon as it is known.
struct FanOut: Sendable {
    let workspace: Workspace
    let changeType: ChangeType

    /// Processes every device; at most `fanOutWidth` at once (the rate limiter paces the calls).
    func run(_ pending: [PendingDevice], context: ProcessingContext) async {
        let processor = Processors.processor(for: changeType)
        let writer = GroupCommit(store: workspace.store)
        await forEachConcurrently(count: pending.count, width: workspace.configuration.fanOutWidth) { index in
            let item = pending[index]
            do {
                try await writer.write { connection in try connection.markProcessing(detailID: item.detailID) }
            } catch {
                return  // Not ours to process (already moved on): leave its recorded state alone.
            }
            let log = ExchangeLog()
            let result = await ExchangeLog.$current.withValue(log) {
                await processor.process(item.request, device: item.device, context: context)
            }
            await record(item, result: result, log: log, writer: writer)
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
                            detailID: item.detailID, deviceID: item.device.id ?? 0, result: .failed(reason),
                            exchanges: [], note: "pre-flight", at: now), in: connection)
                }
            }
        } catch {
            throw .store(error)
        }
    }

    private func record(_ item: PendingDevice, result: DeviceResult, log: ExchangeLog, writer: GroupCommit) async {
        let entry = OutcomeRecorder.Entry(
            detailID: item.detailID, deviceID: item.device.id ?? 0, result: result, exchanges: log.exchanges,
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
        -> JasperClient
    {
        guard provider.writesEnabled else { throw .writesDisabled(provider: provider.name) }
        return try workspace.client(for: provider)
    }
}
