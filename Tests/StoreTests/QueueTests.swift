import Foundation
import Store
import TestSupport
import Testing

@Suite("Store: scheduled customer rate plan changes")
struct QueueTests {
    let now = utc("2026-11-27T10:00:00Z")

    /// A device and a SCHEDULED-to-be detail to hang queue entries on.
    func deviceAndDetail(in store: Store) async throws -> (deviceID: Int64, detailID: Int64) {
        let fixture = try await Fixture.make(in: store)
        return try await store.write { [now] connection in
            let device = DeviceRecord(tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(1))
            _ = try connection.upsertDevices([device], at: now)
            let change = try connection.createBulkChange(
                NewBulkChange(
                    tenantID: fixture.tenantID, providerID: fixture.providerID, changeType: "customer-rate-plan",
                    sourceFileName: "plans.csv", contentHash: "h", createdAt: now))
            let detailID = try connection.insertDetails(
                bulkChangeID: change, [NewDetail(rowNumber: 2, iccid: iccid(1), status: "PENDING")])[0]
            return (try connection.device(providerID: fixture.providerID, iccid: iccid(1))?.id ?? 0, detailID)
        }
    }

    @Test(arguments: TestEngine.allCases) func dueSelectionTakesUnappliedChangesUpToTheDateOldestFirst(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let (deviceID, detailID) = try await deviceAndDetail(in: store)
            let dates = [3, 1, 2, 5].map { now.addingTimeInterval(Double($0) * 86_400) }
            let ids = try await store.write { connection in
                try dates.map { date in
                    try connection.enqueue(
                        QueuedRatePlanChange(
                            detailID: detailID, deviceID: deviceID,
                            customerRatePlan: "PLAN-\(date.timeIntervalSince1970)",
                            dataAllocationMB: 100, effectiveDate: date))
                }
            }
            let asOf = now.addingTimeInterval(3 * 86_400)
            let due = try await store.read { try $0.dueRatePlanChanges(asOf: asOf) }
            #expect(due.map(\.id) == [ids[1], ids[2], ids[0]])
            #expect(due.first?.effectiveDate == dates[1])
            #expect(due.first?.dataAllocationMB == 100)

            try await store.write { try $0.markApplied(queueID: ids[1], outcome: "PROCESSED", message: nil, at: asOf) }
            let remaining = try await store.read { try $0.dueRatePlanChanges(asOf: asOf) }
            #expect(remaining.map(\.id) == [ids[2], ids[0]])

            let all = try await store.read { try $0.queuedRatePlanChanges(deviceID: deviceID) }
            #expect(all.map(\.id) == [ids[1], ids[2], ids[0], ids[3]])
            #expect(all[0].appliedAt == asOf)
            #expect(all[0].outcome == "PROCESSED")
            #expect(all[1].appliedAt == nil)
        }
    }

    @Test(arguments: TestEngine.allCases) func applyingTwiceOrAnUnknownEntryIsRefused(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let (deviceID, detailID) = try await deviceAndDetail(in: store)
            let id = try await store.write { [now] in
                try $0.enqueue(
                    QueuedRatePlanChange(detailID: detailID, deviceID: deviceID, customerPool: "P1", effectiveDate: now)
                )
            }
            try await store.write { [now] in
                try $0.markApplied(queueID: id, outcome: "FAILED", message: "pool gone", at: now)
            }
            await #expect(throws: StoreError.alreadyApplied(queueID: id)) {
                try await store.write { [now] in
                    try $0.markApplied(queueID: id, outcome: "PROCESSED", message: nil, at: now)
                }
            }
            await #expect(throws: StoreError.notFound(kind: "queued rate plan change", id: id + 1)) {
                try await store.write { [now] in
                    try $0.markApplied(queueID: id + 1, outcome: "PROCESSED", message: nil, at: now)
                }
            }
            let entry = try await store.read { try $0.queuedRatePlanChanges(deviceID: deviceID) }.first
            #expect(entry?.outcome == "FAILED")
            #expect(entry?.message == "pool gone")
        }
    }

    @Test(arguments: TestEngine.allCases) func subSecondEffectiveDatesCompareToTheMillisecond(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let (deviceID, detailID) = try await deviceAndDetail(in: store)
            let effective = now.addingTimeInterval(0.25)
            _ = try await store.write { [effective] in
                try $0.enqueue(QueuedRatePlanChange(detailID: detailID, deviceID: deviceID, effectiveDate: effective))
            }
            let before = try await store.read { [now] in try $0.dueRatePlanChanges(asOf: now.addingTimeInterval(0.249))
            }
            let after = try await store.read { [now] in try $0.dueRatePlanChanges(asOf: now.addingTimeInterval(0.25)) }
            #expect(before.isEmpty)
            #expect(after.map(\.effectiveDate) == [effective])
        }
    }
}
