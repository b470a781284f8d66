import BulkChange
import Foundation
import Jasper
import Store

/// Applies one change type to one device: decides the outcome, talks to Control Center when the
/// type needs it, and says what to write locally. It never writes the store itself: the runner
/// writes a device's whole outcome in one transaction, and only what the processor returned.
protocol ChangeProcessor: Sendable {
    /// The change type this processor handles.
    var changeType: ChangeType { get }

    /// The outcome for `request` on `device` (the tenant's inventory record).
    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext) async -> DeviceResult
}

/// What a processor may use: the provider's Control Center endpoint and settings, the clock, the verification policy.
struct ProcessingContext: Sendable {
    let tenantID: Int64
    let jasper: any JasperEndpoint
    let provider: ServiceProviderRecord
    let now: @Sendable () -> Date
    let verification: VerificationPolicy
    /// The device was in flight when an earlier run stopped: a step may already have happened.
    var resuming = false
}

/// What a processor decided for one device.
struct DeviceResult: Sendable {
    var outcome: Outcome
    var message: String
    var oldValue: String?
    var newValue: String?
    /// Fields to set on the device record (with history), only for a change that took effect.
    var deviceChanges: [DeviceField: String?] = [:]
    /// A customer rate plan change to hold until its effective date.
    var queued: QueuedPlanChange?

    static func failed(_ message: String, oldValue: String? = nil, newValue: String? = nil) -> DeviceResult {
        DeviceResult(outcome: .failed, message: message, oldValue: oldValue, newValue: newValue)
    }

    static func failed(_ error: JasperError, doing step: String, oldValue: String?, newValue: String?) -> DeviceResult {
        .failed("\(step) failed: \(error)", oldValue: oldValue, newValue: newValue)
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
