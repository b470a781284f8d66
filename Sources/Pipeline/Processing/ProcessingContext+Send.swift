import Foundation
import Jasper
import Store

/// What came of sending one edit.
enum EditAnswer: Sendable {
    /// Control Center accepted it (now, or in an earlier run); 202 means it applies it later.
    case accepted(appliedLater: Bool)
    /// An earlier send went unanswered, and the device already shows the edit.
    case alreadyShown
    /// Control Center refused it: certainly not applied.
    case refused(JasperError)
    /// Sent without an answer, and whether it was applied cannot be known: a person must check.
    case needsCheck(String)
    /// Sent without an answer, more than once, and the device does not show it.
    case unanswered(String)
    /// Not sent: BulkDrop is stopping.
    case stopped
}

extension ProcessingContext {
    /// Sends of one step without an answer before giving up (each is read back first).
    static let unansweredSends = 2

    /// Sends `edit` for `iccid` as step `step` of the row, exactly once as far as Control Center is
    /// concerned:
    ///
    /// - each send is recorded before it goes out and completed with what came back;
    /// - a step an earlier run got accepted is not sent again;
    /// - a send whose answer was lost (here or in an earlier run) is read back first: the device
    ///   shows it, or the value-setting edit is sent once more; a future-dated edit cannot be read
    ///   back, so it is never sent again and the row says to check it.
    ///
    /// - Throws: `PipelineError` when the store cannot record the send or its answer.
    /// - Parameter undo: the edit that would put the device back, kept with the send for a step
    ///   that may have to be undone after a restart.
    func send(_ edit: DeviceEdit, to iccid: String, step: String = "edit", undo: DeviceEdit? = nil)
        async throws(PipelineError) -> EditAnswer
    {
        var attempt = 1
        if let earlier = journal.earlier(step) {
            switch earlier.state {
            case .accepted: return .accepted(appliedLater: false)
            case .acceptedLater: return .accepted(appliedLater: true)
            case .refused, .notSent: break
            case .sending, .unknown:
                if let settled = await readBack(edit, of: iccid, sentAt: earlier.sentAt) { return settled }
            }
            attempt = earlier.attempt + 1
        }
        return try await send(edit, to: iccid, step: step, undo: undo, from: attempt)
    }

    /// Sends `edit` again as the next attempt of `step`, which Control Center accepted but does not
    /// show: a value-setting edit is safe to repeat.
    func sendAgain(_ edit: DeviceEdit, to iccid: String, step: String) async throws(PipelineError) -> EditAnswer {
        try await send(edit, to: iccid, step: step, undo: nil, from: (journal.earlier(step)?.attempt ?? 0) + 1)
    }

    private func send(_ edit: DeviceEdit, to iccid: String, step: String, undo: DeviceEdit?, from first: Int)
        async throws(PipelineError) -> EditAnswer
    {
        for attempt in first..<(first + Self.unansweredSends) {
            if self.gate.isClosed { return .stopped }
            let record = try await journal.begin(step: step, iccid: iccid, edit: edit, undo: undo, attempt: attempt)
            let failure: JasperError
            switch await put(edit, to: iccid) {
            case .success(let receipt):
                let state: CarrierEditState = receipt.appliedLater ? .acceptedLater : .accepted
                journal.answer(record, state, status: receipt.appliedLater ? 202 : 200, note: nil)
                return .accepted(appliedLater: receipt.appliedLater)
            case .failure(let error):
                failure = error
            }
            if case .stopped = failure {
                journal.answer(record, .notSent, status: nil, note: "\(failure)")
                return .stopped
            }
            guard failure.mayHaveBeenApplied else {
                journal.answer(record, .refused, status: nil, note: "\(failure)")
                return .refused(failure)
            }
            journal.answer(record, .unknown, status: nil, note: "\(failure)")
            if let settled = await readBack(edit, of: iccid, sentAt: record.sentAt, after: failure) { return settled }
        }
        return .unanswered(
            "Control Center did not answer \(Self.unansweredSends) sends of \(Self.describe(edit)) and the device "
                + "does not show it; nothing more was sent: check the device on Control Center")
    }

    private func put(_ edit: DeviceEdit, to iccid: String) async -> Result<EditReceipt, JasperError> {
        do {
            return .success(try await self.jasper.editDevice(iccid, edit))
        } catch {
            return .failure(error)
        }
    }

    /// After a send whose answer was lost: `.alreadyShown` when the device shows the edit, `nil`
    /// when it does not (sending again is safe), or why nothing may be sent.
    private func readBack(_ edit: DeviceEdit, of iccid: String, sentAt: Date, after failure: JasperError? = nil)
        async -> EditAnswer?
    {
        let lost =
            "\(Self.describe(edit)) was sent on \(Timestamps.iso8601(sentAt)) "
            + (failure.map { "and got no answer (\($0))" } ?? "and BulkDrop stopped before its answer")
        if let date = edit.effectiveDate, date > self.now() {
            return .needsCheck(
                "\(lost); a future-dated edit shows on Control Center only from \(Timestamps.day(date)), so it was "
                    + "not sent again: check the device's pending changes on Control Center and drop the row "
                    + "again only if it is missing")
        }
        do {
            return try await self.jasper.device(iccid).shows(edit.changedFields) ? .alreadyShown : nil
        } catch .stopped {
            return .stopped
        } catch {
            return .needsCheck(
                "\(lost); reading the device to check failed (\(error)), so it was not sent again: check the "
                    + "device on Control Center")
        }
    }

    /// `status ACTIVATED, ratePlan X (effective 2026-12-01)`, for messages.
    static func describe(_ edit: DeviceEdit) -> String {
        edit.changedFields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            + (edit.effectiveDate.map { " (effective \(Timestamps.day($0)))" } ?? "")
    }
}
