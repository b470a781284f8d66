import BulkChange
import Foundation
import Jasper
import Store

/// Applies one change type to one device: decides the outcome, sends the edits the type needs
/// through `ProcessingContext.send` (which records each before it goes out), and says what to
/// write locally. Its outcome is written by the runner in one transaction, and only that.
protocol ChangeProcessor: Sendable {
    /// The change type this processor handles.
    var changeType: ChangeType { get }

    /// Whether it calls Control Center at all (a customer rate plan is BulkDrop's own record);
    /// only then are the credentials proved before the first device.
    var callsControlCenter: Bool { get }

    /// The outcome for `request` on `device` (the tenant's inventory record); `nil` when a stop
    /// came before anything uncertain happened (the row is taken up again by the next run).
    ///
    /// - Throws: `PipelineError` when an edit could not be recorded before or after sending.
    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
}

extension ChangeProcessor {
    var callsControlCenter: Bool { true }
}

/// What a processor may use: what every row of the bulk change shares (`ProcessingSetup`: the
/// provider's Control Center endpoint and settings, the clock, the verification policy, the stop
/// gate, read as `context.jasper` and so on) and the row's journal of carrier edits.
@dynamicMemberLookup
struct ProcessingContext: Sendable {
    let setup: ProcessingSetup
    /// The row's carrier edits, this run's and earlier runs'.
    let journal: EditJournal

    subscript<Value>(dynamicMember keyPath: KeyPath<ProcessingSetup, Value>) -> Value {
        setup[keyPath: keyPath]
    }
}

/// What a processor decided for one device.
struct DeviceResult: Sendable {
    var outcome: Outcome
    var message: String
    var oldValue: String?
    var newValue: String?
    /// Fields to set on the device record (with history), only for a change that took effect.
    var deviceChanges: [DeviceField: String?] = [:]
    /// Why the change was made, as the row said: kept in the device history and the row's log.
    var reason: String?
    /// A customer rate plan change to hold until its effective date.
    var queued: QueuedPlanChange?
    /// The row is processed again by the scheduler on this date (outcome `scheduled`): a change
    /// BulkDrop holds until its effective date and then applies like a row of a new file.
    var deferredUntil: Date?
    /// Set when Control Center accepted the edit but the device must still be seen to show it
    /// (outcome `awaitingConfirmation`); the result above is recorded once it shows.
    var awaiting: Awaiting?

    /// An accepted edit whose effect is still to be seen.
    struct Awaiting: Sendable {
        var expectation: Expectation
        /// Control Center answered 202 (it applies the edit later), or did not answer at all: the
        /// change may show late, so it is checked until the confirmation window ends.
        var appliedLater: Bool
        /// What the row says while it waits.
        var note: String
    }

    /// `result` once the device shows what `expectation` asks for; `note` meanwhile.
    static func awaiting(_ expectation: Expectation, appliedLater: Bool, then result: DeviceResult, note: String)
        -> DeviceResult
    {
        var waiting = result
        waiting.outcome = .awaitingConfirmation
        waiting.awaiting = Awaiting(expectation: expectation, appliedLater: appliedLater, note: note)
        return waiting
    }

    /// Held until `date`, when the scheduler processes the row again.
    static func deferred(until date: Date, oldValue: String?, newValue: String?) -> DeviceResult {
        DeviceResult(
            outcome: .scheduled, message: "queued; applied on \(Timestamps.day(date))", oldValue: oldValue,
            newValue: newValue, deferredUntil: date)
    }

    static func failed(_ message: String, oldValue: String? = nil, newValue: String? = nil) -> DeviceResult {
        DeviceResult(outcome: .failed, message: message, oldValue: oldValue, newValue: newValue)
    }

    static func failed(_ error: JasperError, doing step: String, oldValue: String?, newValue: String?) -> DeviceResult {
        .failed("\(step) failed: \(error)", oldValue: oldValue, newValue: newValue)
    }

    static func needsCheck(_ message: String, oldValue: String?, newValue: String?) -> DeviceResult {
        DeviceResult(outcome: .needsCheck, message: message, oldValue: oldValue, newValue: newValue)
    }

    static func unchanged(_ message: String, value: String?) -> DeviceResult {
        DeviceResult(outcome: .unchanged, message: message, oldValue: value, newValue: value)
    }
}

/// A customer rate plan change waiting for its effective date.
struct QueuedPlanChange: Sendable, Equatable {
    var customerRatePlan: String?
    var customerPool: String?
    var dataAllocationMB: Double?
    var effectiveDate: Date
}
