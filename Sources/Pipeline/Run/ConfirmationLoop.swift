import BulkChange
import Foundation
import Jasper
import Store

/// The service loop's confirmations: rows Control Center accepted for later (202), or that were
/// sent without an answer, are read back with a pause that doubles from the verification interval
/// up to an hour, until they show or their window ends. Each settled row updates its bulk change's result files; once the last one settles, the
/// partner hears about failed rows, once.
public struct ConfirmationLoop: Sendable {
    public let workspace: Workspace
    let log: EventLog

    public init(workspace: Workspace, log: EventLog) {
        self.workspace = workspace
        self.log = log
    }

    /// Rows checked per pass.
    static let batch = 200
    /// The longest pause between two checks of a row.
    static let longestPause: TimeInterval = 3600

    /// Checks every row whose next check is due; returns how many settled.
    @discardableResult
    public func checkDue() async -> Int {
        let now = workspace.now()
        let due: [ConfirmationRecord]
        do {
            due = try await workspace.store.read { connection in
                try connection.dueConfirmations(asOf: now, limit: Self.batch)
            }
        } catch {
            log.event("confirm-failed", level: .error, ["reason": "\(error)"])
            return 0
        }
        guard !due.isEmpty else { return 0 }
        var settled = 0
        for (bulkChangeID, records) in Dictionary(grouping: due, by: \.bulkChangeID) {
            // One process checks a bulk change's rows at a time: the one holding its lease.
            do {
                guard try await workspace.leases.claim(.bulkChange, bulkChangeID) else { continue }
            } catch {
                log.event("confirm-failed", level: .error, ["bulk_change": "\(bulkChangeID)", "reason": "\(error)"])
                continue
            }
            do {
                let count = try await check(records, providerID: records[0].providerID, now: now)
                if count > 0 { await report(bulkChangeID, settled: count) }
                settled += count
            } catch {
                log.event("confirm-failed", level: .error, ["bulk_change": "\(bulkChangeID)", "reason": "\(error)"])
            }
            await workspace.leases.release(.bulkChange, bulkChangeID)
        }
        return settled
    }

    /// Reads each row's device once; settles what shows or what ran out of time, and reschedules
    /// the rest. Returns how many rows settled.
    private func check(_ records: [ConfirmationRecord], providerID: Int64, now: Date) async throws(PipelineError)
        -> Int
    {
        let found: ServiceProviderRecord?
        do {
            found = try await workspace.store.read { connection in try connection.provider(id: providerID) }
        } catch {
            throw .store(error)
        }
        guard let provider = found else { throw .store(.notFound(kind: "service provider", id: providerID)) }
        let endpoint: any JasperEndpoint
        do {
            endpoint = try workspace.endpoint(for: provider)
        } catch {
            throw .carrier("\(error)")
        }
        let rows = try await WaitingRow.load(detailIDs: records.map(\.detailID), in: workspace.store)
        var settled = 0
        for row in rows {
            if workspace.gate.isClosed { break }
            let record = row.record
            let verdict: DeviceResult?
            do {
                let device = try await endpoint.device(row.expectation.iccid)
                verdict =
                    device.shows(row.expectation.fields)
                    ? row.result.processed : now >= record.settleBy ? Self.neverShown(row, now: now) : nil
            } catch {
                verdict = now >= record.settleBy ? Self.neverShown(row, now: now, unreadable: error) : nil
            }
            do {
                try await workspace.store.write { connection in
                    if let verdict {
                        try OutcomeRecorder.settle(
                            record, as: verdict, note: "late confirmation", at: now, in: connection)
                    } else {
                        let base = max(1, workspace.verification.interval.seconds)
                        let pause = min(Self.longestPause, base * pow(2, Double(min(record.checks, 12))))
                        try connection.rescheduleConfirmation(
                            detailID: record.detailID, checks: record.checks + 1, resent: record.resent,
                            nextCheckAt: min(record.settleBy, now.addingTimeInterval(pause)))
                    }
                }
            } catch {
                throw .store(error)
            }
            if verdict != nil { settled += 1 }
        }
        return settled
    }

    /// The row's end when the device never showed the change within the window.
    static func neverShown(_ row: WaitingRow, now: Date, unreadable: JasperError? = nil) -> DeviceResult {
        let hours = Int(now.timeIntervalSince(row.record.acceptedAt) / 3600)
        return .failed(
            "Control Center accepted \(ProcessingContext.describe(row.expectation.edit)) on "
                + "\(Timestamps.iso8601(row.record.acceptedAt)) but "
                + (unreadable.map { "the device could not be read to confirm it (\($0))" }
                    ?? "still does not show it after \(hours) h")
                + "; check the device on Control Center", oldValue: row.result.oldValue,
            newValue: row.result.newValue)
    }

    /// Derives the bulk change's status, writes its result files again, and when nothing awaits
    /// any more tells the partner about failed rows.
    private func report(_ bulkChangeID: Int64, settled: Int) async {
        let now = workspace.now()
        do {
            _ = try await workspace.store.write { connection in
                try connection.finishBulkChange(id: bulkChangeID, at: now)
            }
            let report = try await ResultFiles(workspace: workspace).write(bulkChangeID: bulkChangeID)
            let waiting = report.summary.awaitingConfirmation.count
            log.event(
                waiting == 0 ? "confirmations-settled" : "confirmations-progress",
                [
                    "bulk_change": "\(bulkChangeID)", "settled": "\(settled)", "awaiting": "\(waiting)",
                    "status": report.summary.status,
                ])
            if waiting == 0 {
                await Notifier(workspace: workspace, log: log).fileFinished(
                    report, name: (report.summary.sourceFile as NSString).lastPathComponent)
            }
        } catch {
            log.event("confirm-failed", level: .error, ["bulk_change": "\(bulkChangeID)", "reason": "\(error)"])
        }
    }
}
