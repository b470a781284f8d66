import BulkChange
import Foundation
import Jasper
import Store

/// Writes one device's outcome in one transaction: the detail's final status, a log entry per
/// Control Center call, the device fields that changed (with history) and a queue entry.
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
    }

    static func record(_ entry: Entry, in connection: StoreConnection) throws(StoreError) {
        let result = entry.result
        if result.outcome == .processed, !result.deviceChanges.isEmpty, let deviceID = entry.deviceID {
            _ = try connection.updateDevice(
                id: deviceID, changes: result.deviceChanges, at: entry.at, detailID: entry.detailID)
        }
        if result.outcome == .scheduled, let queued = result.queued, let deviceID = entry.deviceID {
            _ = try connection.enqueue(
                QueuedRatePlanChange(
                    id: nil, detailID: entry.detailID, deviceID: deviceID,
                    customerRatePlan: queued.customerRatePlan, customerPool: queued.customerPool,
                    dataAllocationMB: queued.dataAllocationMB, effectiveDate: queued.effectiveDate, appliedAt: nil,
                    outcome: nil, message: nil))
        }
        try connection.appendLogs(logs(for: entry))
        try connection.finishDetail(
            detailID: entry.detailID, status: result.outcome.rawValue, message: result.message,
            oldValue: result.oldValue, newValue: result.newValue, attempts: max(1, entry.exchanges.count),
            at: entry.at)
    }

    /// One log entry per call (portal M2M), or one for a database-only change (portal Mobility).
    static func logs(for entry: Entry) -> [LogEntry] {
        guard !entry.exchanges.isEmpty else {
            return [
                LogEntry(
                    detailID: entry.detailID, description: "\(entry.note): \(entry.result.message)", requestText: "",
                    responseText: "", responseStatus: nil, isError: entry.result.outcome == .failed,
                    portal: .mobility, at: entry.at)
            ]
        }
        return entry.exchanges.map { exchange in
            LogEntry(
                detailID: entry.detailID,
                description: "\(entry.note): \(exchange.call) (attempt \(exchange.attempt))"
                    + (exchange.error.map { ": \($0)" } ?? ""),
                requestText: exchange.requestBody, responseText: exchange.responseBody,
                responseStatus: exchange.status, isError: exchange.error != nil, portal: .m2m, at: entry.at)
        }
    }
}
