import BulkChange
import Foundation
import Jasper
import Store

/// Carrier rate plan (and communication plan) on Control Center, with its effective date; an
/// accepted change is PROCESSED once a device listing shows the new plans.
struct CarrierRatePlanProcessor: ChangeProcessor {
    let changeType = ChangeType.carrierRatePlan

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        guard case .carrierRatePlan(let change) = request else { return .mismatched(request, self) }
        let future = change.effectiveDate.flatMap { $0 > context.now() ? $0 : nil }
        let samePlans =
            device.carrierRatePlan == change.ratePlan
            && (change.communicationPlan == nil || change.communicationPlan == device.communicationPlan)
        if samePlans, future == nil {
            return .unchanged("already on \(change.ratePlan)", value: device.carrierRatePlan)
        }
        let edit = DeviceEdit(
            ratePlan: change.ratePlan, communicationPlan: change.communicationPlan, effectiveDate: future)
        var changes: [DeviceField: String?] = [.carrierRatePlan: change.ratePlan]
        if let plan = change.communicationPlan { changes[.communicationPlan] = plan }
        let done =
            future.map { date in
                DeviceResult(
                    outcome: .scheduled, message: "Control Center applies it on \(Timestamps.day(date))",
                    oldValue: device.carrierRatePlan, newValue: change.ratePlan)
            }
            ?? DeviceResult(
                outcome: .processed, message: "rate plan changed on Control Center", oldValue: device.carrierRatePlan,
                newValue: change.ratePlan, deviceChanges: changes)
        return try await context.send(edit, to: device.iccid).result(
            expecting: Expectation(iccid: device.iccid, step: "edit", edit: edit), done: done,
            doing: "changing the rate plan")
    }
}
