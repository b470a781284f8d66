import BulkChange
import Foundation
import Store

extension Scheduler {
    /// Takes up to `batch` due entries into a new run, in one write transaction with the leases of
    /// their parents (entries of a parent another process holds wait). Adds the parents to
    /// `taken`; `false` when nothing could be taken.
    func takeUpDue(_ taken: inout Set<Int64>) async throws(PipelineError) -> Bool {
        let now = workspace.now()
        let leases = workspace.leases
        let parents: [Int64]
        do {
            parents = try await workspace.store.write { connection in
                var held: [Int64: Bool] = [:]
                var entries: [DueScheduledEntry] = []
                for entry in try connection.dueScheduledEntries(asOf: now, limit: Self.batch) {
                    if held[entry.bulkChangeID] == nil {
                        held[entry.bulkChangeID] = try leases.claim(.bulkChange, entry.bulkChangeID, in: connection)
                    }
                    if held[entry.bulkChangeID] == true { entries.append(entry) }
                }
                guard !entries.isEmpty else { return [] }
                let runID = try connection.createScheduleRun(at: now)
                for entry in entries { try Self.takeUp(entry, runID: runID, now: now, in: connection) }
                return held.filter(\.value).map(\.key)
            }
        } catch {
            throw .store(error)
        }
        guard !parents.isEmpty else { return false }
        leases.keepRenewing()
        taken.formUnion(parents)
        return true
    }

    /// Gives one due entry to run `runID`: a customer rate plan change is applied now (in the
    /// store alone); a deferred row goes back to PENDING for its processor, or FAILED when its
    /// device was archived or left the inventory meanwhile.
    private static func takeUp(_ entry: DueScheduledEntry, runID: Int64, now: Date, in connection: StoreConnection)
        throws(StoreError)
    {
        switch entry.queue {
        case .ratePlan:
            guard let queued = try connection.queuedRatePlanChange(id: entry.id) else {
                throw .notFound(kind: "queued rate plan change", id: entry.id)
            }
            try apply(queued, runID: runID, now: now, in: connection)
        case .carrier:
            try connection.takeUpScheduledChange(id: entry.id, runID: runID)
            guard let detail = try connection.detail(id: entry.detailID) else {
                throw .notFound(kind: "bulk change detail", id: entry.detailID)
            }
            if let device = try device(detail.iccid, of: entry, in: connection), device.archivedAt == nil {
                try connection.takeUpScheduledDetail(detailID: entry.detailID)
            } else {
                try connection.updateScheduledDetail(
                    detailID: entry.detailID, status: Outcome.failed.rawValue, message: deviceGone,
                    newValue: detail.newValue, at: now)
            }
        }
    }

    /// The inventory record of the entry's device, when the parent's tenant still has it.
    private static func device(_ iccid: String, of entry: DueScheduledEntry, in connection: StoreConnection)
        throws(StoreError) -> DeviceRecord?
    {
        guard let parent = try connection.bulkChange(id: entry.bulkChangeID) else { return nil }
        return try connection.devices(tenantID: parent.tenantID, providerID: parent.providerID, iccids: [iccid])[iccid]
    }

    /// Applies a due customer rate plan change in the current transaction.
    private static func apply(_ entry: QueuedRatePlanChange, runID: Int64, now: Date, in connection: StoreConnection)
        throws(StoreError)
    {
        let requested = CustomerRatePlanProcessor.describe(plan: entry.customerRatePlan, pool: entry.customerPool)
        let (outcome, message): (Outcome, String)
        if let device = try connection.device(id: entry.deviceID), device.archivedAt == nil {
            let changes = CustomerRatePlanProcessor.changes(
                plan: entry.customerRatePlan, pool: entry.customerPool, allocation: entry.dataAllocationMB, on: device)
            if !changes.isEmpty {
                _ = try connection.updateDevice(id: entry.deviceID, changes: changes, at: now, detailID: entry.detailID)
            }
            (outcome, message) = (.processed, "scheduled change applied (due \(Timestamps.day(entry.effectiveDate)))")
        } else {
            (outcome, message) = (.failed, deviceGone)
        }
        try connection.markApplied(
            queueID: entry.id ?? 0, outcome: outcome.rawValue, message: message, at: now, runID: runID)
        try connection.updateScheduledDetail(
            detailID: entry.detailID, status: outcome.rawValue, message: message, newValue: requested, at: now)
    }

    static let deviceGone =
        "the device was archived or left the inventory before the change was due; nothing was changed"
}
