import BulkChange
import Foundation
import Jasper
import Store

/// SIM status on Control Center: nothing sent when the device is already there; an edit answered
/// 202 is read back until the device shows the new status or the verification policy gives up.
struct StatusUpdateProcessor: ChangeProcessor {
    let changeType = ChangeType.statusUpdate

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext) async -> DeviceResult {
        guard case .statusUpdate(let update) = request else { return .mismatched(request, self) }
        let target = update.targetStatus.rawValue
        let future = update.effectiveDate.flatMap { $0 > context.now() ? $0 : nil }
        if device.status == target, future == nil { return .unchanged("already \(target)", value: device.status) }
        let processed = DeviceResult(
            outcome: .processed, message: "status changed on Control Center", oldValue: device.status,
            newValue: target, deviceChanges: [.status: target])
        switch await context.checkInFlight(
            device.iccid, future: future, oldValue: device.status, newValue: target,
            { $0.simStatus == update.targetStatus })
        {
        case .alreadyShown: return processed
        case .stop(let result): return result
        case .notShown: break
        }
        let receipt: EditReceipt
        do {
            receipt = try await context.jasper.editDevice(
                device.iccid, DeviceEdit(status: update.targetStatus, effectiveDate: future))
        } catch {
            return .failed(error, doing: "changing the status", oldValue: device.status, newValue: target)
        }
        if let future {
            return DeviceResult(
                outcome: .scheduled, message: "Control Center applies it on \(Timestamps.day(future))",
                oldValue: device.status, newValue: target)
        }
        if receipt.appliedLater {
            let shown = await context.confirmStatus(device.iccid, update.targetStatus)
            if let problem = shown.problem { return .failed(problem, oldValue: device.status, newValue: target) }
        }
        return processed
    }
}
