import BulkChange
import Jasper

/// Whether a device was seen to show an accepted edit, read back one device at a time.
enum InlineCheck: Sendable {
    case shown
    /// It never showed (or could not be read): why, for the row's message.
    case notShown(String)
    /// BulkDrop is stopping: the edit stays accepted and is checked again by the next run.
    case stopped
}

extension ProcessingContext {
    /// Reads the device back until `probe` says the edit shows, per the verification policy.
    /// An edit answered 200 that never shows is sent once more (it sets values, so that is safe)
    /// and read back again; one answered 202 is not (Control Center said it applies it later).
    ///
    /// For the steps that must be seen before the next one (a SIM swap); other edits wait in the
    /// store and are confirmed in bulk.
    func confirmApplied(
        _ edit: DeviceEdit, to iccid: String, step: String, appliedLater: Bool,
        probe: @escaping @Sendable () async throws(JasperError) -> Bool
    ) async throws(PipelineError) -> InlineCheck {
        let first = await readBack(probe)
        guard case .notShown = first, !appliedLater else { return first }
        switch try await sendAgain(edit, to: iccid, step: step) {
        case .accepted, .alreadyShown: break
        case .stopped: return .stopped
        case .refused(let error):
            return .notShown("it did not show, and sending it again was refused: \(error)")
        case .needsCheck(let message), .unanswered(let message):
            return .notShown(message)
        }
        switch await readBack(probe) {
        case .notShown:
            return .notShown(
                "accepted by Control Center but not applied: the device did not show \(Self.describe(edit)) after "
                    + "\(self.verification.patience), and still did not after it was sent once more")
        case let other: return other
        }
    }

    /// Reads the device back with `probe` until it says the edit shows.
    func readBack(_ probe: @escaping @Sendable () async throws(JasperError) -> Bool) async -> InlineCheck {
        do {
            let shown = try await self.verification.confirm { () async throws(JasperError) -> Bool in
                if self.gate.isClosed { throw .stopped(call: "reading the device back") }
                return try await probe()
            }
            return shown ? .shown : .notShown("the device did not show the change after \(self.verification.patience)")
        } catch .stopped {
            return .stopped
        } catch {
            return .notShown("reading the device back failed: \(error)")
        }
    }

    /// A probe that reads the device and checks `shows`.
    func device(_ iccid: String, shows: @escaping @Sendable (JasperDevice) -> Bool)
        -> @Sendable () async throws(JasperError) -> Bool
    {
        { () async throws(JasperError) -> Bool in shows(try await self.jasper.device(iccid)) }
    }
}

extension DeviceResult {
    /// A request routed to the wrong processor: a programming error reported as a failure, never a crash.
    static func mismatched(_ request: ChangeRequest, _ processor: some ChangeProcessor) -> DeviceResult {
        .failed("internal error: a \(request.changeType.slug) row reached the \(processor.changeType.slug) processor")
    }
}
