import Foundation
import Store
import TestSupport
import Testing

@Suite("Store: devices and their history")
struct DeviceTests {
    let now = utc("2026-11-27T10:00:00Z")

    @Test(arguments: TestEngine.allCases) func upsertInsertsUpdatesAndLeavesOtherTenantsDevicesAlone(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let ours = DeviceRecord(
                tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(1), status: "ACTIVATED")
            let theirs = DeviceRecord(
                tenantID: fixture.otherTenantID, providerID: fixture.providerID, iccid: iccid(2), status: "ACTIVATED")
            let first = try await store.write { [now] in try $0.upsertDevices([ours, theirs], at: now) }
            #expect(first == DeviceUpsertResult(inserted: 2, updated: 0, conflicts: []))

            var changed = ours
            changed.status = "DEACTIVATED"
            var stolen = theirs
            stolen.tenantID = fixture.tenantID
            stolen.status = "RETIRED"
            let second = try await store.write { [now, changed, stolen] in
                try $0.upsertDevices([changed, stolen, ours], at: now)
            }
            #expect(second == DeviceUpsertResult(inserted: 0, updated: 2, conflicts: [iccid(2)]))

            let untouched = try await store.read { try $0.device(providerID: fixture.providerID, iccid: iccid(2)) }
            #expect(untouched?.tenantID == fixture.otherTenantID)
            #expect(untouched?.status == "ACTIVATED")
        }
    }

    /// A changed inventory is written in batches (several statements on PostgreSQL, one shape per
    /// set of changed fields): every device gets its values, its time and its history rows.
    @Test(arguments: TestEngine.allCases) func aLargeChangedLoadUpdatesEveryDeviceWithItsHistory(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let original = (0..<450).map { index in
                DeviceRecord(
                    tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(1000 + index),
                    status: "ACTIVATED", dataAllocationMB: 512)
            }
            _ = try await store.write { [now] in try $0.upsertDevices(original, at: now) }
            let later = now.addingTimeInterval(3600)
            let changed = original.enumerated().map { index, device in
                var device = device
                if index % 2 == 0 { device.status = "DEACTIVATED" }
                if index % 3 == 0 { device.dataAllocationMB = 1024.5 }
                if index % 5 == 0 { device.lastUsageDate = utc("2026-11-20T08:00:00Z") }
                return device
            }
            let result = try await store.write { [changed] in try $0.upsertDevices(changed, at: later) }
            let touched = (0..<450).filter { $0 % 2 == 0 || $0 % 3 == 0 || $0 % 5 == 0 }
            #expect(result == DeviceUpsertResult(inserted: 0, updated: touched.count, conflicts: []))
            let stored = try await store.read { connection in
                try connection.devices(
                    tenantID: fixture.tenantID, providerID: fixture.providerID, iccids: original.map(\.iccid))
            }
            for (index, device) in changed.enumerated() {
                let row = try #require(stored[device.iccid])
                #expect(row.status == device.status && row.dataAllocationMB == device.dataAllocationMB)
                #expect(row.lastUsageDate == device.lastUsageDate)
                #expect(row.updatedAt == (touched.contains(index) ? later : now), "device \(index)")
            }
            let sample = try #require(stored[changed[30].iccid]?.id)  // every change: 30 is even, % 3 and % 5
            let history = try await store.read { try $0.history(deviceID: sample) }
            #expect(history.map(\.field) == [.status, .dataAllocationMB, .lastUsageDate])
            #expect(history.map(\.before) == ["ACTIVATED", "512", nil])
            #expect(history.map(\.after) == ["DEACTIVATED", "1024.5", "2026-11-20T08:00:00Z"])
            #expect(history.allSatisfy { $0.changedAt == later && $0.detailID == nil && $0.reason == nil })
        }
    }

    @Test(arguments: TestEngine.allCases) func lookupReturnsOnlyTheTenantsDevicesAcrossChunks(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let devices = (0..<1_203).map { number in
                DeviceRecord(
                    tenantID: number % 3 == 0 ? fixture.otherTenantID : fixture.tenantID,
                    providerID: fixture.providerID, iccid: iccid(number), imei: "35000000000\(number)")
            }
            _ = try await store.write { [now] in try $0.upsertDevices(devices, at: now) }
            let wanted = (0..<1_250).map(iccid)
            let found = try await store.read {
                try $0.devices(tenantID: fixture.tenantID, providerID: fixture.providerID, iccids: wanted)
            }
            let expected = Set(devices.filter { $0.tenantID == fixture.tenantID }.map(\.iccid))
            #expect(Set(found.keys) == expected)
            #expect(found[iccid(1)]?.imei == "350000000001")
            #expect(found[iccid(1)]?.updatedAt == now)

            let byIMEI = try await store.read { try $0.device(providerID: fixture.providerID, imei: "350000000003") }
            #expect(byIMEI?.iccid == iccid(3))
            #expect(byIMEI?.tenantID == fixture.otherTenantID)
            let byID = try await store.read { try $0.device(id: byIMEI?.id ?? 0) }
            #expect(byID == byIMEI)
        }
    }

    @Test(arguments: TestEngine.allCases) func updateRecordsHistoryOnlyForChangedFieldsAndKeepsItAfterArchival(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let device = DeviceRecord(
                tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(7), status: "ACTIVATED",
                dataAllocationMB: 512, username: "pump-7")
            let id = try await store.write { [now] connection in
                _ = try connection.upsertDevices([device], at: now)
                return try connection.device(providerID: fixture.providerID, iccid: iccid(7))?.id ?? 0
            }
            let later = utc("2026-11-28T09:30:00Z")
            let changes = try await store.write { connection in
                try connection.updateDevice(
                    id: id,
                    changes: [
                        .status: "DEACTIVATED", .dataAllocationMB: "512.0", .username: "pump-7", .costCenter2: "CC-9",
                    ],
                    at: later, detailID: nil)
            }
            #expect(
                changes == [
                    DeviceChange(field: .status, before: "ACTIVATED", after: "DEACTIVATED"),
                    DeviceChange(field: .costCenter2, before: nil, after: "CC-9"),
                ])

            let archivedAt = utc("2026-12-01T00:00:00Z")
            let archival = try await store.write { connection in
                try connection.updateDevice(
                    id: id, changes: [.archivedAt: "2026-12-01T00:00:00Z", .retainUntil: "2027-12-01"],
                    at: archivedAt, detailID: nil)
            }
            #expect(archival.map(\.after) == ["2026-12-01T00:00:00Z", "2027-12-01T00:00:00Z"])

            let (stored, history) = try await store.read { try ($0.device(id: id), $0.history(deviceID: id)) }
            #expect(stored?.archivedAt == archivedAt)
            #expect(stored?.retainUntil == utc("2027-12-01T00:00:00Z"))
            #expect(stored?.costCenters == [nil, "CC-9", nil])
            #expect(stored?.updatedAt == archivedAt)
            #expect(history.map(\.field) == [.status, .costCenter2, .archivedAt, .retainUntil])
            #expect(
                history.first
                    == DeviceHistoryEntry(field: .status, before: "ACTIVATED", after: "DEACTIVATED", changedAt: later))
        }
    }

    @Test(arguments: TestEngine.allCases) func upsertKeepsFieldsTheRecordLeavesNilAndHistoryCarriesTheDetail(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            var device = DeviceRecord(
                tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(8), imei: "350000000000008",
                msisdn: "15550100")
            _ = try await store.write { [now, device] in try $0.upsertDevices([device], at: now) }
            device.msisdn = "15550199"
            device.imei = nil  // not known to this feed: kept
            device.lastUsageDate = utc("2026-11-20T08:00:00Z")
            _ = try await store.write { [now, device] in try $0.upsertDevices([device], at: now) }
            let detailID = try await store.write { [now] connection in
                let change = try connection.createBulkChange(
                    NewBulkChange(
                        tenantID: fixture.tenantID, providerID: fixture.providerID, changeType: "edit-username",
                        sourceFileName: "names.csv", contentHash: "h", createdAt: now))
                return try connection.insertDetails(
                    bulkChangeID: change, [NewDetail(rowNumber: 1, iccid: iccid(8), status: "PENDING")])[0]
            }
            let (stored, history) = try await store.write { [now] connection in
                let id = try connection.device(providerID: fixture.providerID, iccid: iccid(8))?.id ?? 0
                _ = try connection.updateDevice(id: id, changes: [.username: "meter-8"], at: now, detailID: detailID)
                _ = try connection.updateDevice(
                    id: id, changes: [.msisdn: nil, .imei: ""], at: now, detailID: detailID)
                return (try connection.device(id: id), try connection.history(deviceID: id))
            }
            #expect(history.map(\.field) == [.msisdn, .lastUsageDate, .username, .imei, .msisdn])
            #expect(history[0].before == "15550100" && history[0].after == "15550199")
            #expect(history[1].after == "2026-11-20T08:00:00Z")
            #expect(history[3].before == "350000000000008" && history[3].after == nil)
            #expect(history.map(\.detailID) == [nil, nil, detailID, detailID, detailID])
            #expect(stored?.imei == nil && stored?.msisdn == nil && stored?.username == "meter-8")
        }
    }

    @Test(arguments: TestEngine.allCases) func invalidValuesAndDuplicateICCIDsAreRefused(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let devices = [iccid(1), iccid(2)].map {
                DeviceRecord(tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: $0)
            }
            _ = try await store.write { [now] in try $0.upsertDevices(devices, at: now) }
            let id = try await store.read { try $0.device(providerID: fixture.providerID, iccid: iccid(1))?.id ?? 0 }

            let number = await #expect(throws: StoreError.self) {
                try await store.write { [now] in
                    try $0.updateDevice(id: id, changes: [.dataAllocationMB: "1,5"], at: now, detailID: nil)
                }
            }
            #expect(
                number?.description
                    == "invalid value '1,5' for dataAllocationMB: expected a decimal number such as 512 or 0.5")
            await #expect(throws: StoreError.self) {
                try await store.write { [now] in
                    try $0.updateDevice(id: id, changes: [.archivedAt: "01/12/2026"], at: now, detailID: nil)
                }
            }
            let duplicate = await #expect(throws: StoreError.self) {
                try await store.write { [now] in
                    try $0.updateDevice(id: id, changes: [.iccid: iccid(2)], at: now, detailID: nil)
                }
            }
            #expect(
                duplicate?.description.contains("the SIM of another device") == true, "\(String(describing: duplicate))"
            )
            await #expect(throws: StoreError.notFound(kind: "device", id: 999)) {
                try await store.write { [now] in
                    try $0.updateDevice(id: 999, changes: [.status: "ACTIVATED"], at: now, detailID: nil)
                }
            }
        }
    }

    @Test(arguments: TestEngine.allCases) func carrierSnapshotUpdatesKnownDevicesOfAnyTenant(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let devices = [
                DeviceRecord(
                    tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(1), status: "ACTIVATED",
                    carrierRatePlan: "A"),
                DeviceRecord(
                    tenantID: fixture.otherTenantID, providerID: fixture.providerID, iccid: iccid(2),
                    status: "ACTIVATED", carrierRatePlan: "A"),
            ]
            _ = try await store.write { [now] in try $0.upsertDevices(devices, at: now) }
            let snapshot = [
                CarrierDeviceSnapshot(iccid: iccid(1), status: "ACTIVATED", carrierRatePlan: "A"),
                CarrierDeviceSnapshot(iccid: iccid(2), status: "DEACTIVATED", communicationPlan: "Data only"),
                CarrierDeviceSnapshot(iccid: iccid(3), status: "ACTIVATED"),
            ]
            let changed = try await store.write { [now] in
                try $0.applyCarrierSnapshot(providerID: fixture.providerID, devices: snapshot, at: now)
            }
            #expect(changed == 1)
            let (second, history) = try await store.read { connection in
                let device = try connection.device(providerID: fixture.providerID, iccid: iccid(2))
                return (device, try connection.history(deviceID: device?.id ?? 0))
            }
            #expect(second?.status == "DEACTIVATED")
            #expect(second?.carrierRatePlan == "A")
            #expect(second?.communicationPlan == "Data only")
            #expect(history.map(\.field) == [.status, .communicationPlan])
            let unknown = try await store.read { try $0.device(providerID: fixture.providerID, iccid: iccid(3)) }
            #expect(unknown == nil)

            // A device reported twice in one page: the second report starts from the first's result.
            let twice = [
                CarrierDeviceSnapshot(iccid: iccid(1), status: "DEACTIVATED"),
                CarrierDeviceSnapshot(iccid: iccid(1), status: "ACTIVATED"),
            ]
            let changedTwice = try await store.write { [now] in
                try $0.applyCarrierSnapshot(providerID: fixture.providerID, devices: twice, at: now)
            }
            #expect(changedTwice == 2)
            let firstHistory = try await store.read { connection in
                let device = try connection.device(providerID: fixture.providerID, iccid: iccid(1))
                #expect(device?.status == "ACTIVATED")
                return try connection.history(deviceID: device?.id ?? 0)
            }
            #expect(firstHistory.map(\.before) == ["ACTIVATED", "DEACTIVATED"])
            #expect(firstHistory.map(\.after) == ["DEACTIVATED", "ACTIVATED"])
        }
    }

    @Test(
        arguments: TestEngine.allCases,
        [
            (DeviceField.lastUsageDate, "2026-11-27T11:30:00+01:00", "2026-11-27T10:30:00Z"),
            (.lastUsageDate, "2026-11-27 10:00:00.1236Z", "2026-11-27T10:00:00.124Z"),
            (.retainUntil, "2028-02-29", "2028-02-29T00:00:00Z"),
            (.dataAllocationMB, "0.50", "0.5"),
            (.dataAllocationMB, "1024", "1024"),
            (.msisdn, " 1555 ", " 1555 "),
        ])
    func valuesAreStoredInCanonicalText(on engine: TestEngine, example: (DeviceField, String, String)) async throws {
        let (field, input, expected) = example
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let device = DeviceRecord(tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(1))
            let changes = try await store.write { [now] connection in
                _ = try connection.upsertDevices([device], at: now)
                let id = try connection.device(providerID: fixture.providerID, iccid: iccid(1))?.id ?? 0
                return try connection.updateDevice(id: id, changes: [field: input], at: now, detailID: nil)
            }
            #expect(changes == [DeviceChange(field: field, before: nil, after: expected)])
        }
    }

    @Test(
        arguments: TestEngine.allCases,
        ["2026-02-30", "2026-11-27T10:00:00", "2026-11-27T24:00:00Z", "27.11.2026", "2026-11-27Z"])
    func malformedDatesAreRefused(on engine: TestEngine, text: String) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let device = DeviceRecord(tenantID: fixture.tenantID, providerID: fixture.providerID, iccid: iccid(1))
            let id = try await store.write { [now] connection in
                _ = try connection.upsertDevices([device], at: now)
                return try connection.device(providerID: fixture.providerID, iccid: iccid(1))?.id ?? 0
            }
            let error = await #expect(throws: StoreError.self) {
                try await store.write { [now] in
                    try $0.updateDevice(id: id, changes: [.lastUsageDate: text], at: now, detailID: nil)
                }
            }
            #expect(
                error?.description.hasPrefix("invalid value '\(text)' for lastUsageDate: expected an ISO-8601") == true)
        }
    }
}
