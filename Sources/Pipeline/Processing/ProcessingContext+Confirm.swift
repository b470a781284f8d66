import BulkChange
import Jasper

/// Whether Control Center shows an accepted change, and what to report when it does not.
struct Confirmation: Sendable {
    /// `nil` when the change shows; otherwise the message for a FAILED outcome.
    var problem: String?
}

extension ProcessingContext {
    /// Reads the device back until `shows` holds for it, per the verification policy.
    func confirm(_ iccid: String, _ shows: @escaping @Sendable (JasperDevice) -> Bool) async -> Confirmation {
        do {
            let shown = try await verification.confirm { () async throws(JasperError) -> Bool in
                shows(try await jasper.device(iccid))
            }
            return Confirmation(
                problem: shown
                    ? nil
                    : "Control Center accepted the change but did not show it after \(verification.patience); "
                        + "check the device in Control Center, then drop the row again if needed")
        } catch {
            return Confirmation(problem: "reading the device back failed: \(error)")
        }
    }

    /// Reads the device back until it shows `status`.
    func confirmStatus(_ iccid: String, _ status: SIMStatus) async -> Confirmation {
        await confirm(iccid) { $0.simStatus == status }
    }
}

extension DeviceResult {
    /// A request routed to the wrong processor: a programming error reported as a failure, never a crash.
    static func mismatched(_ request: ChangeRequest, _ processor: some ChangeProcessor) -> DeviceResult {
        .failed("internal error: a \(request.changeType.slug) row reached the \(processor.changeType.slug) processor")
    }
}
