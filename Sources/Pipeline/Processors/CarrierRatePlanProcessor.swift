import BulkChange
import Foundation
import Jasper
import Store

/// Carrier rate plan (and communication plan) on Control Center, with its effective date.
struct CarrierRatePlanProcessor: ChangeProcessor {
    let changeType = ChangeType.carrierRatePlan

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext) async -> DeviceResult {
        guard case .carrierRatePlan(let change) = request else { return .mismatched(request, self) }
        let future = change.effectiveDate.flatMap { $0 > context.now() ? $0 : nil }
        let samePlans =
            device.carrierRatePlan == change.ratePlan
            && (change.communicationPlan == nil || change.communicationPlan == device.communicationPlan)
        if samePlans, future == nil {
            return .unchanged("already on \(change.ratePlan)", value: device.carrierRatePlan)
        }
        var changes: [DeviceField: String?] = [.carrierRatePlan: change.ratePlan]
        if let plan = change.communicationPlan { changes[.communicationPlan] = plan }
        let processed = DeviceResult(
            outcome: .processed, message: "rate plan changed on Control Center", oldValue: device.carrierRatePlan,
            newValue: change.ratePlan, deviceChanges: changes)
        let shows: @Sendable (JasperDevice) -> Bool = {
            $0.ratePlan == change.ratePlan
                && (change.communicationPlan == nil || $0.communicationPlan == change.communicationPlan)
        }
        switch await context.checkInFlight(
            device.iccid, future: future, oldValue: device.carrierRatePlan, newValue: change.ratePlan, shows)
        {
        case .alreadyShown: return processed
        case .stop(let result): return result
        case .notShown: break
        }
        let edit = DeviceEdit(
            ratePlan: change.ratePlan, communicationPlan: change.communicationPlan, effectiveDate: future)
        let receipt: EditReceipt
        do {
            receipt = try await context.jasper.editDevice(device.iccid, edit)
        } catch {
            return .failed(
                error, doing: "changing the rate plan", oldValue: device.carrierRatePlan, newValue: change.ratePlan)
        }
        if let future {
            return DeviceResult(
                outcome: .scheduled, message: "Control Center applies it on \(Timestamps.day(future))",
                oldValue: device.carrierRatePlan, newValue: change.ratePlan)
        }
        if receipt.appliedLater {
            let shown = await context.confirm(device.iccid) { $0.ratePlan == change.ratePlan }
            if let problem = shown.problem { return .failed(problem, oldValue: device.carrierRatePlan) }
        }
        return processed
    }
}
