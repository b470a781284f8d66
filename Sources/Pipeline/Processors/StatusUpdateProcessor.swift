import BulkChange
import Foundation
import Jasper
import Store

/// SIM status on Control Center: nothing sent when the device is already there; an accepted
/// edit is PROCESSED once a device listing shows the new status. The row's reason goes into the
/// device history and the row's log.
struct StatusUpdateProcessor: ChangeProcessor {
    let changeType = ChangeType.statusUpdate

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        guard case .statusUpdate(let update) = request else { return .mismatched(request, self) }
        let target = update.targetStatus.rawValue
        let future = update.effectiveDate.flatMap { $0 > context.now() ? $0 : nil }
        if device.status == target, future == nil { return .unchanged("already \(target)", value: device.status) }
        let edit = DeviceEdit(status: update.targetStatus, effectiveDate: future)
        var done =
            future.map { date in
                DeviceResult(
                    outcome: .scheduled, message: "Control Center applies it on \(Timestamps.day(date))",
                    oldValue: device.status, newValue: target)
            }
            ?? DeviceResult(
                outcome: .processed, message: "status changed on Control Center", oldValue: device.status,
                newValue: target, deviceChanges: [.status: target])
        done.reason = update.reason
        return try await context.send(edit, to: device.iccid).result(
            expecting: Expectation(iccid: device.iccid, step: "edit", edit: edit), done: done,
            doing: "changing the status")
    }
}
