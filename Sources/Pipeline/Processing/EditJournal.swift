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
    private let writer: GroupCommit
    private let now: @Sendable () -> Date

    init(detailID: Int64, prior: [CarrierEditRecord], writer: GroupCommit, now: @escaping @Sendable () -> Date) {
        self.detailID = detailID
        records = Mutex(prior)
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
        do {
            try await writer.write { connection in _ = try connection.recordCarrierEdit(record) }
        } catch {
            throw .store(error)
        }
        records.withLock { $0.append(record) }
        return record
    }

    /// Records what came back for `record`.
    func answer(_ record: CarrierEditRecord, _ state: CarrierEditState, status: Int?, note: String?)
        async throws(PipelineError)
    {
        let at = now()
        do {
            try await writer.write { connection in
                try connection.recordCarrierAnswer(
                    detailID: record.detailID, step: record.step, attempt: record.attempt, state: state, at: at,
                    responseStatus: status, note: note)
            }
        } catch {
            throw .store(error)
        }
        records.withLock { records in
            guard let index = records.lastIndex(where: { $0.step == record.step && $0.attempt == record.attempt })
            else { return }
            records[index].state = state
            records[index].answeredAt = at
            records[index].responseStatus = status
            records[index].note = note
        }
    }

    private static func json(_ edit: DeviceEdit) throws(PipelineError) -> String {
        do {
            return try ConfirmationJSON.text(edit)
        } catch {
            throw .store(error)
        }
    }
}
