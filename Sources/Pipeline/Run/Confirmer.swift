import BulkChange
import Foundation
import Jasper
import Store

/// Sees that Control Center shows the edits it accepted, so PROCESSED means the carrier holds the
/// change, and the device record changes only then.
///
/// Status and plan changes are seen in bulk: one device listing (`GET /devices?modifiedSince=…`,
/// 50 devices a call) confirms a whole chunk of rows. Fields the listing does not carry, and
/// devices it never lists, are read one by one. An edit answered 200 that never shows is sent
/// once more (it sets values, so that is safe), then FAILED as "accepted but not applied"; one
/// answered 202 keeps waiting, checked by the service loop until the confirmation window ends.
struct Confirmer: Sendable {
    let workspace: Workspace
    let setup: ProcessingSetup
    let writer: GroupCommit
    /// Control Center's clock against ours, learnt once per run.
    let carrierClock: CarrierClock

    /// Confirms the rows among `detailIDs` that await confirmation.
    ///
    /// - Throws: `PipelineError.store` when an outcome cannot be recorded.
    func confirm(detailIDs: [Int64]) async throws(PipelineError) {
        var waiting = try await WaitingRow.load(detailIDs: detailIDs, in: workspace.store)
        for pass in 0..<2 where !waiting.isEmpty {
            waiting = try await rounds(waiting)
            if setup.gate.isClosed { return }
            waiting = try await settleOrSendAgain(waiting, again: pass == 0)
        }
    }

    /// Confirms the rows an earlier run left awaiting with an answer of 200 (a run stopped before
    /// it saw them); rows answered 202 stay with the service loop.
    func confirmLeftovers(of bulkChangeID: Int64) async throws(PipelineError) {
        let leftovers: [Int64]
        do {
            leftovers = try await workspace.store.read { connection in
                try connection.confirmations(bulkChangeID: bulkChangeID).filter { !$0.appliedLater }.map(\.detailID)
            }
        } catch {
            throw .store(error)
        }
        if !leftovers.isEmpty { try await confirm(detailIDs: leftovers) }
    }

    /// Reads back in rounds, per the verification policy, until every row shows or the rounds are
    /// over; returns the rows that never showed.
    private func rounds(_ rows: [WaitingRow]) async throws(PipelineError) -> [WaitingRow] {
        var left = rows
        let checks = max(1, setup.verification.checks)
        for check in 1...checks {
            if setup.gate.isClosed { return left }
            let (shown, _) = await shownNow(left)
            try await settle(left.filter { shown.contains($0.record.detailID) }, note: "confirmed")
            left.removeAll { shown.contains($0.record.detailID) }
            if left.isEmpty || check == checks { break }
            do {
                try await setup.verification.pause(setup.verification.interval)
            } catch {
                return left
            }
        }
        return left
    }

    /// The rows whose device shows the change now (listed fields from one listing, other fields,
    /// or with `single` every row, from reading each device), and the rows that could not be read.
    private func shownNow(_ rows: [WaitingRow], single: Bool = false) async -> (Set<Int64>, unreadable: Set<Int64>) {
        var shown: Set<Int64> = []
        var unreadable: Set<Int64> = []
        var listed = single ? [] : rows.filter(\.expectation.isListed)
        if !carrierClock.isKnown, let first = listed.first {
            // One device read on its own tells how far Control Center's clock is from ours.
            listed.removeFirst()
            switch await read(first.expectation.iccid) {
            case .success(let device) where device.shows(first.expectation.fields):
                carrierClock.learn(from: device, acceptedAt: first.record.acceptedAt)
                shown.insert(first.record.detailID)
            case .success: break
            case .failure: unreadable.insert(first.record.detailID)
            }
        }
        if let earliest = listed.map(\.record.acceptedAt).min() {
            switch await listing(since: carrierClock.listingStart(forChangesSince: earliest)) {
            case .success(let byICCID):
                for row in listed where byICCID[row.expectation.iccid]?.shows(row.expectation.fields) == true {
                    shown.insert(row.record.detailID)
                }
            case .failure:
                unreadable.formUnion(listed.map(\.record.detailID))
            }
        }
        for row in rows where single || !row.expectation.isListed {
            if setup.gate.isClosed { break }
            switch await read(row.expectation.iccid) {
            case .success(let device) where device.shows(row.expectation.fields): shown.insert(row.record.detailID)
            case .success: break
            case .failure: unreadable.insert(row.record.detailID)
            }
        }
        return (shown, unreadable)
    }

    private func listing(since date: Date) async -> Result<[String: DeviceSummary], JasperError> {
        do {
            let summaries = try await setup.jasper.modifiedDevices(since: date)
            return .success(Dictionary(summaries.map { ($0.iccid, $0) }) { first, _ in first })
        } catch {
            return .failure(error)
        }
    }

    private func read(_ iccid: String) async -> Result<JasperDevice, JasperError> {
        do {
            return .success(try await setup.jasper.device(iccid))
        } catch {
            return .failure(error)
        }
    }

    /// After the rounds: each device the listing never showed is read once (an edit that changed
    /// nothing may leave it unlisted); then a 202 row, or one that cannot be read now, is left to
    /// the service loop, and a 200 row is sent once more (when `again`) or FAILED. Returns the rows
    /// sent again.
    private func settleOrSendAgain(_ rows: [WaitingRow], again: Bool) async throws(PipelineError) -> [WaitingRow] {
        let (shown, unreadable) = await shownNow(rows, single: true)
        try await settle(rows.filter { shown.contains($0.record.detailID) }, note: "confirmed")
        var sentAgain: [WaitingRow] = []
        let edits = try await priorEdits(rows.map(\.record.detailID))
        for row in rows where !shown.contains(row.record.detailID) {
            if row.record.appliedLater || unreadable.contains(row.record.detailID) {
                try await handOver(row)
            } else if again {
                let context = setup.context(
                    EditJournal(
                        detailID: row.record.detailID, prior: edits[row.record.detailID] ?? [], writer: writer,
                        now: workspace.now))
                let answer = try await context.sendAgain(
                    row.expectation.edit, to: row.expectation.iccid, step: row.expectation.step)
                try await context.journal.flush()
                switch answer {
                case .accepted: sentAgain.append(row)
                case .stopped: return []
                default:
                    if let result = answer.result(expecting: row.expectation, done: row.result.processed, doing: "") {
                        try await settle([row], as: result, note: "sent again")
                    }
                }
            } else {
                try await settle([row], as: Self.notApplied(row, patience: setup.verification.patience), note: "")
            }
        }
        return sentAgain
    }

    /// The row once it was sent twice and never showed.
    static func notApplied(_ row: WaitingRow, patience: String) -> DeviceResult {
        .failed(
            "accepted by Control Center but not applied: the device did not show "
                + "\(ProcessingContext.describe(row.expectation.edit)) after \(patience), nor after it was sent "
                + "once more; nothing was changed here",
            oldValue: row.result.oldValue, newValue: row.result.newValue)
    }

    /// Leaves a row answered 202 to the service loop's later checks.
    private func handOver(_ row: WaitingRow) async throws(PipelineError) {
        // The service loop looks again after one verification interval, then ever more rarely.
        let next = workspace.now().addingTimeInterval(setup.verification.interval.seconds)
        let record = row.record
        do {
            try await writer.write { connection in
                try connection.rescheduleConfirmation(
                    detailID: record.detailID, checks: record.checks + 1, resent: record.resent, nextCheckAt: next)
            }
        } catch {
            throw .store(error)
        }
    }

    /// Records `result` (PROCESSED by default) for each row, all in one transaction.
    private func settle(_ rows: [WaitingRow], as result: DeviceResult? = nil, note: String)
        async throws(PipelineError)
    {
        guard !rows.isEmpty else { return }
        let now = workspace.now()
        let settled = rows.map { ($0.record, result ?? $0.result.processed) }
        do {
            try await writer.write { connection in
                for (record, outcome) in settled {
                    try OutcomeRecorder.settle(
                        record, as: outcome, note: note.isEmpty ? "confirmation" : note, at: now, in: connection)
                }
            }
        } catch {
            throw .store(error)
        }
    }

    private func priorEdits(_ detailIDs: [Int64]) async throws(PipelineError) -> [Int64: [CarrierEditRecord]] {
        do {
            return try await workspace.store.read { connection in try connection.carrierEdits(detailIDs: detailIDs) }
        } catch {
            throw .store(error)
        }
    }
}

/// A row awaiting confirmation, with what it waits for decoded.
struct WaitingRow: Sendable {
    var record: ConfirmationRecord
    var expectation: Expectation
    var result: SettledResult

    /// The rows among `detailIDs` that await confirmation.
    static func load(detailIDs: [Int64], in store: Store) async throws(PipelineError) -> [WaitingRow] {
        do {
            return try await store.read { connection in
                try connection.confirmations(detailIDs: detailIDs).map { record throws(StoreError) in
                    WaitingRow(
                        record: record,
                        expectation: try ConfirmationJSON.value(Expectation.self, from: record.expectation),
                        result: try ConfirmationJSON.value(SettledResult.self, from: record.result))
                }
            }
        } catch {
            throw .store(error)
        }
    }
}
