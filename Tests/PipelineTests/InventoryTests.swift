import BuiltInSimulator
import BulkChange
import Foundation
import Jasper
import JasperSim
import Pipeline
import Store
import Testing

/// Keeping the store's inventory true: device files (`InventoryImport`), the carrier's modified
/// devices and rate plans (`InventorySync`), and customer plans and pools (`CustomerPlanImport`).
@Suite("inventory")
struct InventoryTests {
    // MARK: - Device files

    @Test func importLoadsAndUpdatesOwnDevicesButNeverAnotherTenants() async throws {
        try await PipelineFixture.make().use { fixture in
            let (new, own, others) = (Self.newICCID(1), fixture.iccid(0), fixture.iccid(8))
            let ownStatus = fixture.devices[0].device.status == "DEACTIVATED" ? "INVENTORY" : "DEACTIVATED"
            let path = try fixture.write(
                "devices.csv",
                """
                ICCID,IMEI,Status,Rate Plan,Device ID,Cost Center 1,data_allocation_mb,Last-Usage-Date
                \(new),\(Self.newIMEI(1)),activated,POD19 IoT 1GB Pooled,truck-1,FLEET,512,2026-09-01
                \(own),,\(ownStatus),,renamed-0,,,
                \(Self.broken(own)),,ACTIVATED,,,,,
                \(others),,RETIRED,,stolen,,,

                """)
            let report = try await InventoryImport(workspace: fixture.workspace).run(
                path: path, tenant: "acme", provider: "POD19")
            #expect(report.inserted == 1)
            #expect(report.updated == 1)
            #expect(report.rejected.count == 2)
            #expect(report.rejected.first?.hasPrefix("\(path):4: ICCID ") == true)
            #expect(report.rejected.last == "\(path):5: ICCID \(others) belongs to another tenant; not changed")

            let loaded = try #require(try await fixture.stored(new))
            #expect(loaded.status == "ACTIVATED")
            #expect(loaded.imei == Self.newIMEI(1))
            #expect(loaded.carrierRatePlan == "POD19 IoT 1GB Pooled")
            #expect(loaded.username == "truck-1")
            #expect(loaded.costCenters == ["FLEET", nil, nil])
            #expect(loaded.dataAllocationMB == 512)
            #expect(loaded.lastUsageDate == (try Date("2026-09-01T00:00:00Z", strategy: .iso8601)))

            let updated = try #require(try await fixture.stored(own))
            #expect(updated.status == ownStatus)
            #expect(updated.username == "renamed-0")
            #expect(updated.carrierRatePlan == fixture.devices[0].device.ratePlan, "an empty cell keeps the value")
            let history = try await Self.history(of: updated, in: fixture)
            #expect(Set(history.map(\.field)) == [.status, .username])

            let untouched = try #require(try await fixture.stored(others, tenant: "other"))
            #expect(untouched.status == fixture.devices[8].device.status)
            #expect(untouched.username == fixture.devices[8].device.deviceID)
            #expect(try await fixture.stored(others) == nil, "still not acme's")
        }
    }

    static let badRows: [(name: String, row: String, message: String)] = [
        ("no ICCID", ",,,,", "no ICCID"),
        ("ICCID too short", "890126000000000,,,,", "ICCID 890126000000000 is not 19–20 digits with a valid check"),
        ("ICCID check digit", "\(broken(newICCID(2))),,,,", "ICCID \(broken(newICCID(2))) is not 19–20 digits"),
        ("IMEI length", "\(newICCID(2)),123,,,", "IMEI 123 is not 15 digits with a valid check digit"),
        ("IMEI check digit", "\(newICCID(2)),\(broken(newIMEI(2))),,,", "IMEI \(broken(newIMEI(2))) is not 15 digits"),
        ("status", "\(newICCID(2)),,SUSPENDED,,", "status SUSPENDED is not one of ACTIVATED"),
        ("allocation", "\(newICCID(2)),,,lots,", "data_allocation_mb lots is not a number of megabytes"),
        ("usage date", "\(newICCID(2)),,,,27/11/2026", "last_usage_date 27/11/2026 is not a date as YYYY-MM-DD"),
    ]

    @Test(arguments: badRows)
    func badRowIsReportedWithFileAndLineAndSkipped(bad: (name: String, row: String, message: String)) async throws {
        try await PipelineFixture.make().use { fixture in
            let path = try fixture.write(
                "devices_bad.csv",
                "iccid,imei,status,data_allocation_mb,last_usage_date\n\(Self.newICCID(3)),,INVENTORY,,\n\(bad.row)\n")
            let report = try await InventoryImport(workspace: fixture.workspace).run(
                path: path, tenant: "acme", provider: "POD19")
            #expect(report.inserted == 1, "the good row still loads")
            #expect(report.rejected.count == 1)
            #expect(report.rejected.first?.hasPrefix("\(path):3: \(bad.message)") == true, "\(report.rejected)")
            #expect(try await fixture.stored(Self.newICCID(2)) == nil)
        }
    }

    @Test func fileWithoutAnICCIDColumnIsRefusedWhole() async throws {
        try await PipelineFixture.make().use { fixture in
            let path = try fixture.write("devices_nohead.csv", "sim,status\n\(Self.newICCID(4)),ACTIVATED\n")
            let error = await #expect(throws: PipelineError.self) {
                try await InventoryImport(workspace: fixture.workspace).run(
                    path: path, tenant: "acme", provider: "POD19")
            }
            #expect(error?.description == "\(path):1: the header has no iccid column")
        }
    }

    // MARK: - Carrier sync

    @Test func deviceSyncFollowsTheCarrierAndRecordsHistory() async throws {
        try await PipelineFixture.make().use { fixture in
            fixture.clock.advance(days: 1)
            let since = fixture.clock.now.addingTimeInterval(-3600)
            var own = fixture.devices[0]
            let (oldStatus, newStatus) = (
                own.device.status, own.device.status == "ACTIVATED" ? "DEACTIVATED" : "ACTIVATED"
            )
            own.device.status = newStatus
            var others = fixture.devices[8]
            let newPlan = GeneratedDevices.ratePlans.first { $0 != others.device.ratePlan }
            others.device.ratePlan = newPlan
            var spare = fixture.devices[PipelineFixture.inventory + 3]
            spare.device.status = "ACTIVATED"
            let stamp = JasperTimestamp.format(fixture.clock.now)
            fixture.simulator.load([own, others, spare].map { Self.stamped($0, stamp) })

            let sync = InventorySync(workspace: fixture.workspace)
            let report = try await sync.syncDevices(provider: "POD19", since: since)
            #expect(report.received == 3 && report.changed == 2, "the spare is in no inventory")
            let stored = try #require(try await fixture.stored(own.device.iccid))
            #expect(stored.status == newStatus)
            let history = try await Self.history(of: stored, in: fixture)
            let entry = try #require(history.last)
            #expect(entry.field == .status && entry.before == oldStatus && entry.after == newStatus)
            #expect(entry.detailID == nil, "from the carrier, not a bulk change")
            #expect(entry.changedAt == fixture.clock.now)
            #expect(try await fixture.stored(others.device.iccid, tenant: "other")?.carrierRatePlan == newPlan)

            let again = try await sync.syncDevices(provider: "POD19", since: since)
            #expect(again.received == 3 && again.changed == 0, "nothing new the second time")
            #expect(try await Self.history(of: stored, in: fixture).count == history.count)
        }
    }

    @Test func deviceSyncReadsEveryPage() async throws {
        try await PipelineFixture.make().use { fixture in
            let count = 60
            let extra = Array(
                GeneratedDevices.make(
                    count: fixture.devices.count + count, seed: 11, accountId: "100", now: fixture.clock.now
                )
                .suffix(count))
            try await fixture.workspace.loadInventory(extra, tenant: "acme", provider: "POD19")
            fixture.clock.advance(days: 1)
            let stamp = JasperTimestamp.format(fixture.clock.now)
            let modified = extra.map { device in
                var device = device
                device.device.status = device.device.status == "ACTIVATED" ? "DEACTIVATED" : "ACTIVATED"
                return Self.stamped(device, stamp)
            }
            fixture.simulator.load(modified)

            let report = try await InventorySync(workspace: fixture.workspace).syncDevices(
                provider: "POD19", since: fixture.clock.now.addingTimeInterval(-60))
            #expect(report.received == count && report.changed == count)
            #expect(fixture.simulator.counters.total("GET /devices") == 2, "two pages of at most 50")
            for device in modified {
                #expect(try await fixture.stored(device.device.iccid)?.status == device.device.status)
            }
        }
    }

    @Test func ratePlanSyncAddsWhatTheAccountOffers() async throws {
        let extraPlans = (1...55).map { "POD19 Extra \($0)" }
        try await PipelineFixture.make(simulator: SimulatorConfiguration(extraRatePlans: extraPlans)).use { fixture in
            var spare = fixture.devices[PipelineFixture.inventory + 3]
            spare.device.ratePlan = "POD19 IoT 20GB Pooled"
            fixture.simulator.load([spare])

            let names = try await InventorySync(workspace: fixture.workspace).syncRatePlans(provider: "POD19")
            #expect(names == names.sorted())
            #expect(Set(names).isSuperset(of: extraPlans + GeneratedDevices.ratePlans + ["POD19 IoT 20GB Pooled"]))
            let stored = try await fixture.workspace.store.read { connection in
                try connection.carrierRatePlans(providerID: try connection.provider(named: "POD19")?.id ?? 0)
            }
            #expect(stored.isSuperset(of: names), "every page is stored")

            let error = await #expect(throws: PipelineError.self) {
                try await InventorySync(workspace: fixture.workspace).syncRatePlans(provider: "Rogers")
            }
            #expect(error?.description.hasPrefix("unknown service provider \"Rogers\"") == true)
        }
    }

    // MARK: - Customer plans and pools

    @Test func customerPlanImportLoadsPlansAndPoolsAndRejectsBadRows() async throws {
        try await PipelineFixture.make().use { fixture in
            let path = try fixture.write(
                "plans.csv",
                """
                Kind,Code,Name,Data Allocation MB
                plan,CRP-A,Plan A,500
                PLAN,CRP-B,,
                pool,POOL-X,Pool X,
                bundle,CRP-C,Bundle,
                plan,,No code,
                plan,CRP-D,Plan D,lots

                """)
            let importer = CustomerPlanImport(workspace: fixture.workspace)
            let report = try await importer.run(path: path, tenant: "acme")
            #expect(report.plans == 2 && report.pools == 1)
            #expect(
                report.rejected == [
                    "\(path):5: kind \"bundle\" is neither plan nor pool", "\(path):6: no code",
                    "\(path):7: data_allocation_mb lots is not a number",
                ])
            let (plans, pools, othersPlans) = try await Self.plans(in: fixture)
            #expect(
                plans == [
                    CustomerRatePlanRecord(code: "CRP-A", name: "Plan A", dataAllocationMB: 500),
                    CustomerRatePlanRecord(code: "CRP-B", name: "CRP-B", dataAllocationMB: nil),
                ])
            #expect(pools == [CustomerPoolRecord(code: "POOL-X", name: "Pool X")])
            #expect(othersPlans.isEmpty, "plans belong to one tenant")

            let renamed = try fixture.write(
                "plans_renamed.csv", "kind,code,name,data_allocation_mb\nplan,CRP-A,Plan A+,600\n")
            _ = try await importer.run(path: renamed, tenant: "acme")
            #expect(try await Self.plans(in: fixture).plans.first?.dataAllocationMB == 600)

            let headless = try fixture.write("plans_bad.csv", "code,name\nCRP-Z,Zed\n")
            let error = await #expect(throws: PipelineError.self) {
                try await importer.run(path: headless, tenant: "acme")
            }
            #expect(error?.description.hasPrefix("\(headless):1: the header needs the columns kind and code") == true)
            let unknown = await #expect(throws: PipelineError.self) {
                try await importer.run(path: path, tenant: "nobody")
            }
            #expect(unknown?.description.hasPrefix("unknown tenant \"nobody\"") == true)
        }
    }

    // MARK: - Helpers

    /// A 20-digit ICCID with a valid check digit that no fixture device has.
    static func newICCID(_ serial: Int) -> String {
        let body = "89012609" + String(format: "%011d", serial)
        return body + String(Luhn.checkDigit(for: body))
    }

    /// A 15-digit IMEI with a valid check digit.
    static func newIMEI(_ serial: Int) -> String {
        let body = "35" + String(format: "%012d", serial)
        return body + String(Luhn.checkDigit(for: body))
    }

    /// `digits` with its check digit changed, so the check fails.
    static func broken(_ digits: String) -> String {
        String(digits.dropLast()) + (digits.last == "0" ? "1" : "0")
    }

    static func stamped(_ device: SimulatedDevice, _ stamp: String) -> SimulatedDevice {
        var device = device
        device.device.dateUpdated = stamp
        return device
    }

    static func history(of device: DeviceRecord, in fixture: PipelineFixture) async throws -> [DeviceHistoryEntry] {
        try await fixture.workspace.store.read { connection in try connection.history(deviceID: device.id ?? 0) }
    }

    static func plans(in fixture: PipelineFixture) async throws -> (
        plans: [CustomerRatePlanRecord], pools: [CustomerPoolRecord], othersPlans: [CustomerRatePlanRecord]
    ) {
        try await fixture.workspace.store.read { connection in
            let acme = try connection.tenantID(named: "acme") ?? 0
            let other = try connection.tenantID(named: "other") ?? 0
            return (
                try connection.customerRatePlans(tenantID: acme), try connection.customerPools(tenantID: acme),
                try connection.customerRatePlans(tenantID: other)
            )
        }
    }
}
