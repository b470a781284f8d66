import Foundation
import Jasper
import Synchronization

/// Stops a file early when Control Center fails for the whole account, not for one device.
///
/// Every call of the file goes through `CircuitBreaker.Endpoint`. A refused login or a failed TLS
/// handshake opens the breaker at once: nothing will work until someone fixes the account. A run of
/// `stormThreshold` calls in a row that found Control Center unreachable or failing (5xx, refused
/// connections) opens it too; any call that gets an answer resets the run. A late answer (a
/// timeout, a lost connection) neither counts nor resets: a slow carrier is not a failing one, and
/// the edits it may have applied are read back as usual. Once
/// open, no device starts (the fan-out asks `isOpen`), and the rows not sent are FAILED with one
/// reason (`reason`), which also makes the operators' email go out once.
final class CircuitBreaker: Sendable {
    /// Calls in a row that found Control Center failing before the breaker opens.
    static let stormThreshold = 5

    private struct State {
        var failuresInARow = 0
        var reason: String?
    }

    private let state = Mutex(State())

    /// Why the breaker opened; `nil` while it is closed.
    var reason: String? { state.withLock { $0.reason } }

    var isOpen: Bool { reason != nil }

    /// Notes how a call ended.
    func observe(_ error: JasperError?) {
        state.withLock { state in
            guard state.reason == nil else { return }
            switch error {
            case nil, .notFound, .badRequest, .throttled, .malformedResponse:
                state.failuresInARow = 0
            case .timeout, .noAnswer, .cancelled, .stopped:
                break
            case .invalidCredentials, .tls:
                state.reason = "\(error!)"
            case .serverError, .connectionFailed:
                state.failuresInARow += 1
                if state.failuresInARow >= Self.stormThreshold {
                    state.reason =
                        "Control Center failed \(Self.stormThreshold) calls in a row (the last: \(error!)); "
                        + "the rest of the file was not sent"
                }
            }
        }
    }

    /// The reason given to rows not sent because the breaker opened.
    func rowReason() -> String {
        "not sent: \(reason ?? "Control Center failed for the whole account"); drop the errors file again once "
            + "Control Center answers"
    }

    /// A Control Center endpoint whose every outcome the breaker observes.
    struct Endpoint: JasperEndpoint {
        let base: any JasperEndpoint
        let breaker: CircuitBreaker

        func device(_ iccid: String) async throws(JasperError) -> JasperDevice {
            try await observed { () throws(JasperError) in try await base.device(iccid) }
        }

        func editDevice(_ iccid: String, _ edit: DeviceEdit) async throws(JasperError) -> EditReceipt {
            try await observed { () throws(JasperError) in try await base.editDevice(iccid, edit) }
        }

        func modifiedDevices(since: Date) async throws(JasperError) -> [DeviceSummary] {
            try await observed { () throws(JasperError) in try await base.modifiedDevices(since: since) }
        }

        func auditTrail(_ iccid: String, daysOfHistory: Int) async throws(JasperError) -> [AuditTrailEntry] {
            try await observed { () throws(JasperError) in
                try await base.auditTrail(iccid, daysOfHistory: daysOfHistory)
            }
        }

        func usage(_ iccid: String) async throws(JasperError) -> DeviceUsage {
            try await observed { () throws(JasperError) in try await base.usage(iccid) }
        }

        func ratePlans() async throws(JasperError) -> [RatePlan] {
            try await observed { () throws(JasperError) in try await base.ratePlans() }
        }

        private func observed<Value>(_ call: () async throws(JasperError) -> Value) async throws(JasperError) -> Value {
            do {
                let value = try await call()
                breaker.observe(nil)
                return value
            } catch {
                breaker.observe(error)
                throw error
            }
        }
    }
}
