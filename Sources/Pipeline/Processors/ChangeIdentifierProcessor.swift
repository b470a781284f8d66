import BulkChange
import Foundation
import Jasper
import Store

/// SIM swap or modem swap on Control Center.
///
/// New ICCID: both SIMs are read on Control Center before anything is sent. The old SIM's live
/// status must allow deactivation and the new SIM must be on the account in a pre-active state
/// (validation already made sure it is a spare of the tenant). The new SIM is activated with the
/// old SIM's plans and username, seen active, then the old SIM is deactivated and seen so. When
/// that second step fails the new SIM is put back as it was (compensation) and the row is FAILED.
/// Each step is sent once (see `ProcessingContext.send`), so a restarted swap goes on from the
/// step it had reached. New IMEI: set as `modemID`, PROCESSED once the device shows it.
struct ChangeIdentifierProcessor: ChangeProcessor {
    let changeType = ChangeType.changeICCIDOrIMEI

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        guard case .changeICCIDOrIMEI(let change) = request else { return .mismatched(request, self) }
        switch change.replacement {
        case .iccid(let newICCID): return try await swapSIM(device: device, to: newICCID, context: context)
        case .imei(let newIMEI):
            let edit = DeviceEdit(modemID: newIMEI)
            let done = DeviceResult(
                outcome: .processed, message: "IMEI recorded on Control Center", oldValue: device.imei,
                newValue: newIMEI, deviceChanges: [.imei: newIMEI])
            return try await context.send(edit, to: device.iccid).result(
                expecting: Expectation(iccid: device.iccid, step: "edit", edit: edit), done: done,
                doing: "recording the new IMEI")
        }
    }

    private func swapSIM(device: DeviceRecord, to newICCID: String, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        let old = device.iccid
        let failed = { (message: String) in DeviceResult.failed(message, oldValue: old, newValue: newICCID) }
        let (oldSIM, newSIM): (JasperDevice, JasperDevice)
        do {
            oldSIM = try await context.jasper.device(old)
            newSIM = try await context.jasper.device(newICCID)
        } catch {
            return failed("reading the SIMs failed: \(error)")
        }
        let restore: DeviceEdit
        if let recorded = try context.journal.undo(of: "activate-new") {
            restore = recorded  // a restarted swap: the new SIM was read as it was before, then
        } else {
            guard let status = oldSIM.simStatus, status.allowsTransition(to: .deactivated) else {
                return failed(
                    "the old SIM \(old) is \(oldSIM.status ?? "in no status") on Control Center, which cannot be "
                        + "deactivated; nothing was changed: check the device on Control Center")
            }
            guard let status = newSIM.simStatus, ChangeIdentifierKind.spareStatuses.contains(status) else {
                return failed(
                    "the new SIM \(newICCID) is \(newSIM.status ?? "in no status"); it must be INVENTORY, "
                        + "ACTIVATION_READY or TEST_READY")
            }
            restore = DeviceEdit(
                status: status, ratePlan: newSIM.ratePlan, communicationPlan: newSIM.communicationPlan,
                deviceID: newSIM.deviceID)
        }
        let activation = DeviceEdit(
            status: .activated, ratePlan: oldSIM.ratePlan, communicationPlan: oldSIM.communicationPlan,
            deviceID: oldSIM.deviceID)
        switch try await step(activation, to: newICCID, named: "activate-new", undo: restore, context: context) {
        case .done: break
        case .stopped: return nil
        case .needsCheck(let message): return .needsCheck(message, oldValue: old, newValue: newICCID)
        case .failed(let problem): return failed("activating the new SIM failed: \(problem); nothing was changed")
        }
        let deactivation = DeviceEdit(status: .deactivated)
        switch try await step(deactivation, to: old, named: "deactivate-old", undo: nil, context: context) {
        case .done:
            return DeviceResult(
                outcome: .processed, message: "SIM swapped: \(newICCID) active, \(old) deactivated", oldValue: old,
                newValue: newICCID, deviceChanges: [.iccid: newICCID, .status: SIMStatus.activated.rawValue])
        case .stopped: return nil
        case .needsCheck(let message):
            return .needsCheck(
                "the new SIM \(newICCID) is ACTIVATED; deactivating the old SIM: \(message)", oldValue: old,
                newValue: newICCID)
        case .failed(let problem):
            let back = restore.status?.rawValue ?? "its earlier state"
            switch try await step(restore, to: newICCID, named: "restore-new", undo: nil, context: context) {
            case .done:
                return failed("deactivating the old SIM failed: \(problem); the new SIM was put back to \(back)")
            case .stopped: return nil
            case .needsCheck(let undo), .failed(let undo):
                return failed(
                    "deactivating the old SIM failed: \(problem); putting the new SIM back to \(back) also failed: "
                        + "\(undo); both SIMs are ACTIVATED: fix them by hand in Control Center")
            }
        }
    }

    /// How one step of a swap ended.
    private enum StepOutcome {
        case done
        case stopped
        case needsCheck(String)
        case failed(String)
    }

    /// Sends one step and waits until the device shows it.
    private func step(
        _ edit: DeviceEdit, to iccid: String, named name: String, undo: DeviceEdit?, context: ProcessingContext
    ) async throws(PipelineError) -> StepOutcome {
        let fields = edit.changedFields
        switch try await context.send(edit, to: iccid, step: name, undo: undo) {
        case .alreadyShown: return .done
        case .stopped: return .stopped
        case .needsCheck(let message): return .needsCheck(message)
        case .unanswered(let message): return .failed(message)
        case .refused(let error): return .failed("\(error)")
        case .accepted(let later):
            let probe = context.device(iccid) { $0.shows(fields) }
            switch try await context.confirmApplied(edit, to: iccid, step: name, appliedLater: later, probe: probe) {
            case .shown: return .done
            case .stopped: return .stopped
            case .notShown(let reason): return .failed(reason)
            }
        }
    }
}
