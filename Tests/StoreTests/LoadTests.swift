import Foundation
import Store
import TestSupport
import Testing

/// Bulk loads at the size of a large partner file; they check correctness, the timing is read
/// from the test output (`swift test -c release --filter StoreTests.LoadTests`).
@Suite("Store: 100k loads")
struct LoadTests {
    static let fullCount = 100_000

    /// Rows loaded on `engine`: 100k on SQLite; 20k on PostgreSQL, whose server would take the
    /// suite's two cores for half a minute with 100k and starve the tests that time real processes.
    static func count(on engine: TestEngine) -> Int { engine == .sqlite ? fullCount : 20_000 }
    let now = utc("2026-11-27T10:00:00Z")

    @Test(arguments: TestEngine.allCases) func loads100kDevices(on engine: TestEngine) async throws {
        let count = Self.count(on: engine)
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let devices = (0..<count).map { number in
                DeviceRecord(
                    tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(number),
                    imei: "35\(number + 1_000_000_000_000)", status: number % 10 == 0 ? "DEACTIVATED" : "ACTIVATED",
                    carrierRatePlan: "IoT 1GB", dataAllocationMB: Double(number % 1024), username: "meter-\(number)",
                    costCenters: ["CC-\(number % 7)", nil, nil], lastUsageDate: now.addingTimeInterval(-Double(number)))
            }
            let result = try await store.write { [now] in try $0.upsertDevices(devices, at: now) }
            #expect(result == DeviceUpsertResult(inserted: count, updated: 0, conflicts: []))

            let again = try await store.write { [now] in try $0.upsertDevices(devices, at: now) }
            #expect(again == DeviceUpsertResult(inserted: 0, updated: 0, conflicts: []))

            let found = try await store.read {
                try $0.devices(tenantID: fixture.tenantID, providerID: fixture.providerID, iccids: devices.map(\.iccid))
            }
            #expect(found.count == count)
            for number in [0, 1, count / 2 - 1, count - 1] {
                var expected = devices[number]
                expected.id = found[expected.iccid]?.id
                expected.updatedAt = now
                #expect(found[expected.iccid] == expected)
            }
        }
    }

    @Test(arguments: TestEngine.allCases) func loads100kDetails(on engine: TestEngine) async throws {
        let count = Self.count(on: engine)
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let rows = (0..<count).map { number in
                NewDetail(
                    rowNumber: number + 2, iccid: iccid(number), requestJSON: #"{"targetStatus":"ACTIVATED"}"#,
                    status: number % 100 == 0 ? "REJECTED" : "PENDING",
                    message: number % 100 == 0 ? "unknown ICCID" : nil)
            }
            let (changeID, ids) = try await store.write { [now] connection in
                let changeID = try connection.createBulkChange(
                    NewBulkChange(
                        tenantID: fixture.tenantID, providerID: fixture.providerID, changeType: "status-update",
                        sourceFileName: "fleet.csv", contentHash: "sha256:big", createdAt: now))
                return (changeID, try connection.insertDetails(bulkChangeID: changeID, rows))
            }
            #expect(ids.count == count)
            #expect(Set(ids).count == count)

            let (details, finished) = try await store.write { [now] connection in
                (try connection.details(bulkChangeID: changeID), try connection.finishBulkChange(id: changeID, at: now))
            }
            #expect(details.map(\.id) == ids)
            #expect(details.map(\.rowNumber) == rows.map(\.rowNumber))
            #expect(details[100].status == "REJECTED")
            #expect(details[100].message == "unknown ICCID")
            #expect(finished.status == "PROCESSING")
            #expect(finished.counts == ["PENDING": count - count / 100, "REJECTED": count / 100])
        }
    }
}
