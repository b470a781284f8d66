import Foundation
import Jasper

extension EditAnswer {
    /// The row's result for an edit that needs no further step: accepted edits wait for the device
    /// to show `expectation` (a future-dated one is SCHEDULED, as it cannot be seen before its date),
    /// and every other answer ends the row.
    ///
    /// - Parameters:
    ///   - done: the result once the change shows (PROCESSED) or is accepted for later (SCHEDULED).
    ///   - doing: what the edit does, for messages ("changing the status").
    func result(
        expecting expectation: Expectation, done: DeviceResult, doing: String
    ) -> DeviceResult? {
        switch self {
        case .accepted(let appliedLater):
            if done.outcome == .scheduled { return done }
            return .awaiting(
                expectation, appliedLater: appliedLater, then: done,
                note: appliedLater
                    ? "accepted by Control Center for later (202); waiting until the device shows it"
                    : "accepted by Control Center; waiting until the device shows it")
        case .alreadyShown:
            var shown = done
            shown.outcome = done.outcome == .scheduled ? .scheduled : .processed
            return shown
        case .refused(let error):
            return .failed(error, doing: doing, oldValue: done.oldValue, newValue: done.newValue)
        case .needsCheck(let message):
            return .needsCheck(message, oldValue: done.oldValue, newValue: done.newValue)
        case .unanswered(let message):
            // It may still land: the service loop keeps looking until the confirmation window ends.
            if done.outcome == .scheduled {
                return .needsCheck(message, oldValue: done.oldValue, newValue: done.newValue)
            }
            return .awaiting(expectation, appliedLater: true, then: done, note: message)
        case .stopped:
            return nil
        }
    }
}
