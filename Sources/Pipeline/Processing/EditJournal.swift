import Foundation
import Jasper
import Store
import Synchronization

/// The carrier edits of one row, each recorded in the store before it is sent and completed with
/// what came back. It starts from what earlier runs recorded, so a resumed row knows, step by
/// step, what was accepted, refused, or sent without an answer.
final class EditJournal: Sendable {
    let detailID: Int64
    /// Every attempt recorded for the row, earlier runs' first.
    private let records: Mutex<[CarrierEditRecord]>
    /// Attempts whose answer is noted but not stored yet.
    private let unwritten = Mutex<[Attempt]>([])
    /// The row is still PENDING: it moves to PROCESSING with its first write (an edit's record,
    /// or its outcome when it sends nothing).
    private let pending: Mutex<Bool>
    private let writer: GroupCommit
    private let now: @Sendable () -> Date

    init(
        detailID: Int64, prior: [CarrierEditRecord], pending: Bool = false, writer: GroupCommit,
        now: @escaping @Sendable () -> Date
    ) {
        self.detailID = detailID
        records = Mutex(prior)
        self.pending = Mutex(pending)
        self.writer = writer
        self.now = now
    }

    /// Whether nothing recorded for the row can have reached Control Center's books: every edit,
    /// if any, was refused or never sent.
    var sentNothing: Bool {
        records.withLock { records in records.allSatisfy { $0.state == .notSent || $0.state == .refused } }
    }

    /// The last attempt recorded for `step`, by this run or an earlier one.
    func earlier(_ step: String) -> CarrierEditRecord? {
        records.withLock { records in records.last { $0.step == step } }
    }

    /// The edit recorded as undoing `step`, if any.
    ///
    /// - Throws: `PipelineError.store` when the recorded edit cannot be read.
    func undo(of step: String) throws(PipelineError) -> DeviceEdit? {
        let recorded = records.withLock { records in records.first { $0.step == step && $0.undoJSON != nil } }
        guard let text = recorded?.undoJSON else { return nil }
        do {
            return try ConfirmationJSON.value(DeviceEdit.self, from: text)
        } catch {
            throw .store(error)
        }
    }

    /// Records that attempt `attempt` of `step` is about to be sent (with the edit that would undo
    /// it, when there is one); returns once it is stored.
    func begin(step: String, iccid: String, edit: DeviceEdit, undo: DeviceEdit?, attempt: Int)
        async throws(PipelineError) -> CarrierEditRecord
    {
        let record = CarrierEditRecord(
            detailID: detailID, step: step, iccid: iccid, requestJSON: try Self.json(edit),
            undoJSON: try undo.map { edit throws(PipelineError) in try Self.json(edit) },
            effectiveDate: edit.effectiveDate,
            attempt: attempt, sentAt: now())
        let claim = pending.withLock { $0 }
        do {
            try await writer.write { connection in
                if claim { try connection.markProcessing(detailID: record.detailID) }
                _ = try connection.recordCarrierEdit(record)
            }
        } catch {
            throw .store(error)
        }
        if claim { pending.withLock { $0 = false } }
        records.withLock { $0.append(record) }
        return record
    }

    /// Notes what came back for `record`. It reaches the store with the row's next write (its
    /// outcome, normally): an answer lost in a crash before that leaves the edit SENDING, which is
    /// read back like any uncertain edit, so nothing is lost but a call.
    func answer(_ record: CarrierEditRecord, _ state: CarrierEditState, status: Int?, note: String?) {
        let at = now()
        records.withLock { records in
            guard let index = records.lastIndex(where: { $0.step == record.step && $0.attempt == record.attempt })
            else { return }
            records[index].state = state
            records[index].answeredAt = at
            records[index].responseStatus = status
            records[index].note = note
        }
        unwritten.withLock { $0.append(Attempt(step: record.step, attempt: record.attempt)) }
    }

    /// One attempt of one step.
    struct Attempt: Sendable, Equatable {
        var step: String
        var attempt: Int
    }

    /// The answers noted and not stored yet, as they stand now.
    var unwrittenAnswers: [CarrierEditRecord] {
        let pending = unwritten.withLock { $0 }
        return records.withLock { records in
            records.filter { record in pending.contains(Attempt(step: record.step, attempt: record.attempt)) }
        }
    }

    /// Whether the row is still PENDING (nothing written for it yet).
    var isPending: Bool { pending.withLock { $0 } }

    /// Stores `answers` (from `unwrittenAnswers`) in the current transaction.
    static func write(_ answers: [CarrierEditRecord], in connection: StoreConnection) throws(StoreError) {
        for answer in answers {
            try connection.recordCarrierAnswer(
                detailID: answer.detailID, step: answer.step, attempt: answer.attempt, state: answer.state,
                at: answer.answeredAt ?? answer.sentAt, responseStatus: answer.responseStatus, note: answer.note)
        }
    }

    /// Called once `answers` were committed.
    func written(_ answers: [CarrierEditRecord]) {
        let done = answers.map { Attempt(step: $0.step, attempt: $0.attempt) }
        unwritten.withLock { $0.removeAll { done.contains($0) } }
    }

    /// Stores the unwritten answers now, in a transaction of their own.
    func flush() async throws(PipelineError) {
        let answers = unwrittenAnswers
        guard !answers.isEmpty else { return }
        do {
            try await writer.write { connection in try Self.write(answers, in: connection) }
        } catch {
            throw .store(error)
        }
        written(answers)
    }

    private static func json(_ edit: DeviceEdit) throws(PipelineError) -> String {
        do {
            return try ConfirmationJSON.text(edit)
        } catch {
            throw .store(error)
        }
    }
}
