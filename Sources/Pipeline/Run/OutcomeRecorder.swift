import BulkChange
import Foundation
import Jasper
import Store

/// Writes one device's outcome in one transaction: the detail's final status (or what it waits
/// for), a log entry per Control Center call, the device fields that changed (with history) and
/// a queue entry (a customer rate plan change, or a row deferred to its effective date).
enum OutcomeRecorder {
    /// What to write for one device.
    struct Entry: Sendable {
        var detailID: Int64
        /// The device record; `nil` when the row failed before its device was read.
        var deviceID: Int64?
        var result: DeviceResult
        var exchanges: [JasperExchange]
        var note: String
        var at: Date
        /// Where a row awaiting confirmation belongs, and how long it may wait.
        var waiting: Waiting?
    }

    /// The bulk change and provider of a row that may await confirmation, and its window.
    struct Waiting: Sendable {
        var bulkChangeID: Int64
        var providerID: Int64
        var window: Duration
    }

    static func record(_ entry: Entry, in connection: StoreConnection) throws(StoreError) {
        let result = entry.result
        if let awaiting = result.awaiting, let waiting = entry.waiting {
            try connection.appendLogs(logs(for: entry))
            let settleBy = entry.at.addingTimeInterval(waiting.window.seconds)
            try connection.awaitConfirmation(
                ConfirmationRecord(
                    detailID: entry.detailID, bulkChangeID: waiting.bulkChangeID, providerID: waiting.providerID,
                    iccid: awaiting.expectation.iccid, expectation: try ConfirmationJSON.text(awaiting.expectation),
                    result: try ConfirmationJSON.text(SettledResult(result)), acceptedAt: entry.at,
                    appliedLater: awaiting.appliedLater, nextCheckAt: entry.at, settleBy: settleBy),
                message: awaiting.note, oldValue: result.oldValue, newValue: result.newValue)
            return
        }
        if result.outcome == .processed, !result.deviceChanges.isEmpty, let deviceID = entry.deviceID {
            _ = try connection.updateDevice(
                id: deviceID, changes: result.deviceChanges, at: entry.at, detailID: entry.detailID,
                reason: result.reason)
        }
        if result.outcome == .scheduled, let queued = result.queued, let deviceID = entry.deviceID {
            _ = try connection.enqueue(
                QueuedRatePlanChange(
                    id: nil, detailID: entry.detailID, deviceID: deviceID,
                    customerRatePlan: queued.customerRatePlan, customerPool: queued.customerPool,
                    dataAllocationMB: queued.dataAllocationMB, effectiveDate: queued.effectiveDate, appliedAt: nil,
                    outcome: nil, message: nil))
        }
        if result.outcome == .scheduled, let date = result.deferredUntil {
            _ = try connection.enqueueScheduledChange(detailID: entry.detailID, effectiveDate: date)
        }
        try connection.appendLogs(logs(for: entry))
        try connection.finishDetail(
            detailID: entry.detailID, status: result.outcome.rawValue, message: result.message,
            oldValue: result.oldValue, newValue: result.newValue, attempts: max(1, entry.exchanges.count),
            at: entry.at)
    }

    /// Gives a row that awaited confirmation its outcome: on PROCESSED the device record changes
    /// (only now that the carrier shows the change).
    static func settle(
        _ confirmation: ConfirmationRecord, as result: DeviceResult, note: String, at date: Date,
        in connection: StoreConnection
    ) throws(StoreError) {
        let device = try connection.device(providerID: confirmation.providerID, iccid: confirmation.iccid)
        try connection.removeConfirmation(detailID: confirmation.detailID)
        try record(
            Entry(
                detailID: confirmation.detailID, deviceID: device?.id, result: result, exchanges: [], note: note,
                at: date), in: connection)
    }

    /// One log entry per call (portal M2M), or one for a database-only change (portal Mobility).
    static func logs(for entry: Entry) -> [LogEntry] {
        guard !entry.exchanges.isEmpty else {
            return [
                LogEntry(
                    detailID: entry.detailID, description: "\(entry.note): \(entry.result.message)" + reasonText(entry),
                    requestText: "",
                    responseText: "", responseStatus: nil, isError: entry.result.outcome == .failed,
                    portal: .mobility, at: entry.at)
            ]
        }
        return entry.exchanges.map { exchange in
            LogEntry(
                detailID: entry.detailID,
                description: "\(entry.note): \(exchange.call) (attempt \(exchange.attempt))"
                    + (exchange.error.map { ": \($0)" } ?? "") + reasonText(entry),
                requestText: exchange.requestBody, responseText: exchange.responseBody,
                responseStatus: exchange.status, isError: exchange.error != nil, portal: .m2m, at: entry.at)
        }
    }

    /// `; reason: end of pilot` when the row gave one.
    private static func reasonText(_ entry: Entry) -> String {
        entry.result.reason.map { "; reason: \(Echo.plain($0))" } ?? ""
    }
}
