import BulkChange
import Foundation
import Store

/// Customer rate plan and pool: database only. Due now (no date, or not in the future) it is set
/// at once; a future effective date queues it for the scheduler.
struct CustomerRatePlanProcessor: ChangeProcessor {
    let changeType = ChangeType.customerRatePlan
    let callsControlCenter = false

    func process(_ request: ChangeRequest, device: DeviceRecord, context: ProcessingContext)
        async throws(PipelineError) -> DeviceResult?
    {
        guard case .customerRatePlan(let change) = request else { return .mismatched(request, self) }
        let requested = Self.describe(plan: change.customerRatePlanID, pool: change.customerPoolID)
        if let date = change.effectiveDate, date > context.now() {
            return DeviceResult(
                outcome: .scheduled, message: "queued; applied on \(Timestamps.day(date))",
                oldValue: Self.describe(plan: device.customerRatePlan, pool: device.customerPool), newValue: requested,
                queued: QueuedPlanChange(
                    customerRatePlan: change.customerRatePlanID, customerPool: change.customerPoolID,
                    dataAllocationMB: change.dataAllocationMB, effectiveDate: date))
        }
        let changes = Self.changes(
            plan: change.customerRatePlanID, pool: change.customerPoolID, allocation: change.dataAllocationMB,
            on: device)
        let current = Self.describe(plan: device.customerRatePlan, pool: device.customerPool)
        guard !changes.isEmpty else { return .unchanged("already on \(requested)", value: current) }
        return DeviceResult(
            outcome: .processed, message: "customer rate plan set", oldValue: current, newValue: requested,
            deviceChanges: changes)
    }

    /// The device fields that differ from the requested values (`nil` requests leave a field alone).
    static func changes(plan: String?, pool: String?, allocation: Double?, on device: DeviceRecord)
        -> [DeviceField: String?]
    {
        var changes: [DeviceField: String?] = [:]
        if let plan, plan != device.customerRatePlan { changes[.customerRatePlan] = plan }
        if let pool, pool != device.customerPool { changes[.customerPool] = pool }
        if let allocation, allocation != device.dataAllocationMB { changes[.dataAllocationMB] = String(allocation) }
        return changes
    }

    /// `plan A, pool P` for messages and the old/new columns.
    static func describe(plan: String?, pool: String?) -> String {
        [plan.map { "plan \($0)" }, pool.map { "pool \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}
