import BulkChange
import Foundation
import Jasper
import Store

/// SIM swap or modem swap on Control Center.
///
/// New ICCID: the new SIM must be on the account in a pre-active state; it is activated with the
/// old SIM's plans and username, then the old SIM is deactivated. When that second step fails the
/// new SIM is put back as it was (compensation) and the row is FAILED. New IMEI: set as `modemID`
/// and read back.
struct ChangeIdentifierProcessor: ChangeProcessor {
    let changeType = ChangeType.changeICCIDOrIMEI

    /// Statuses a replacement SIM may be in before the swap.
    static let preActive: Set<SIMStatus> = [.inventory, .activationReady, .testReady]

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext) async -> DeviceResult {
        guard case .changeICCIDOrIMEI(let change) = request else { return .mismatched(request, self) }
        switch change.replacement {
        case .iccid(let newICCID): return await swapSIM(device: device, to: newICCID, context: context)
        case .imei(let newIMEI): return await swapModem(device: device, to: newIMEI, context: context)
        }
    }

    private func swapSIM(device: DeviceRecord, to newICCID: String, context: ProcessingContext) async -> DeviceResult {
        let old = device.iccid
        let (oldSIM, newSIM): (JasperDevice, JasperDevice)
        do {
            oldSIM = try await context.jasper.device(old)
            newSIM = try await context.jasper.device(newICCID)
        } catch {
            return .failed("reading the SIMs failed: \(error)", oldValue: old, newValue: newICCID)
        }
        if context.resuming, newSIM.simStatus == .activated, newSIM.ratePlan == oldSIM.ratePlan {
            return await finishInterruptedSwap(old: oldSIM, new: newSIM, context: context)
        }
        guard let newStatus = newSIM.simStatus, Self.preActive.contains(newStatus) else {
            return .failed(
                "the new SIM \(newICCID) is \(newSIM.status ?? "in no status"); it must be INVENTORY, "
                    + "ACTIVATION_READY or TEST_READY", oldValue: old, newValue: newICCID)
        }
        let activation = DeviceEdit(
            status: .activated, ratePlan: oldSIM.ratePlan, communicationPlan: oldSIM.communicationPlan,
            deviceID: oldSIM.deviceID)
        if let problem = await apply(activation, to: newICCID, expecting: .activated, context: context) {
            return .failed(
                "activating the new SIM failed: \(problem); nothing was changed", oldValue: old, newValue: newICCID)
        }
        if let problem = await apply(
            DeviceEdit(status: .deactivated), to: old, expecting: .deactivated, context: context)
        {
            let restore = DeviceEdit(
                status: newStatus, ratePlan: newSIM.ratePlan, communicationPlan: newSIM.communicationPlan,
                deviceID: newSIM.deviceID)
            if let undo = await apply(restore, to: newICCID, expecting: newStatus, context: context) {
                return .failed(
                    "deactivating the old SIM failed: \(problem); putting the new SIM back to \(newStatus.rawValue) "
                        + "also failed: \(undo); both SIMs are ACTIVATED: fix them by hand in Control Center",
                    oldValue: old, newValue: newICCID)
            }
            return .failed(
                "deactivating the old SIM failed: \(problem); the new SIM was put back to \(newStatus.rawValue)",
                oldValue: old, newValue: newICCID)
        }
        return DeviceResult(
            outcome: .processed, message: "SIM swapped: \(newICCID) active, \(old) deactivated", oldValue: old,
            newValue: newICCID, deviceChanges: [.iccid: newICCID, .status: SIMStatus.activated.rawValue])
    }

    /// A swap an earlier run left after activating the new SIM: deactivate the old one if still needed.
    private func finishInterruptedSwap(old: JasperDevice, new: JasperDevice, context: ProcessingContext) async
        -> DeviceResult
    {
        if old.simStatus != .deactivated,
            let problem = await apply(
                DeviceEdit(status: .deactivated), to: old.iccid, expecting: .deactivated, context: context)
        {
            return .failed(
                "resuming the swap: deactivating the old SIM failed: \(problem); the new SIM \(new.iccid) is ACTIVATED, "
                    + "check both SIMs in Control Center", oldValue: old.iccid, newValue: new.iccid)
        }
        return DeviceResult(
            outcome: .processed, message: "SIM swapped (resumed): \(new.iccid) active, \(old.iccid) deactivated",
            oldValue: old.iccid, newValue: new.iccid,
            deviceChanges: [.iccid: new.iccid, .status: SIMStatus.activated.rawValue])
    }

    /// Sends `edit`; when it is applied later, waits until the SIM shows `status`. The problem, or `nil`.
    private func apply(_ edit: DeviceEdit, to iccid: String, expecting status: SIMStatus, context: ProcessingContext)
        async -> String?
    {
        do {
            let receipt = try await context.jasper.editDevice(iccid, edit)
            guard receipt.appliedLater else { return nil }
            return await context.confirmStatus(iccid, status).problem
        } catch {
            return "\(error)"
        }
    }

    private func swapModem(device: DeviceRecord, to newIMEI: String, context: ProcessingContext) async -> DeviceResult {
        let recorded = DeviceResult(
            outcome: .processed, message: "IMEI recorded on Control Center", oldValue: device.imei, newValue: newIMEI,
            deviceChanges: [.imei: newIMEI])
        switch await context.checkInFlight(
            device.iccid, future: nil, oldValue: device.imei, newValue: newIMEI, { $0.modemID == newIMEI })
        {
        case .alreadyShown: return recorded
        case .stop(let result): return result
        case .notShown: break
        }
        do {
            _ = try await context.jasper.editDevice(device.iccid, DeviceEdit(modemID: newIMEI))
        } catch {
            return .failed("recording the new IMEI failed: \(error)", oldValue: device.imei, newValue: newIMEI)
        }
        if let problem = await context.confirm(device.iccid, { $0.modemID == newIMEI }).problem {
            return .failed(problem, oldValue: device.imei, newValue: newIMEI)
        }
        return recorded
    }
}
