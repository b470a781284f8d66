import BulkChange
import Foundation
import JasperSim
import Store
import TestSupport
import Testing

@testable import Pipeline

/// archival end to end: usage check, deactivation first, archived with history kept.
@Suite("archival end to end")
struct ArchivalTests {
    /// Sets a device's last data use on the simulator, `daysAgo` before the fixture's clock.
    static func setUsage(_ fixture: PipelineFixture, index: Int, daysAgo: Double, status: SIMStatus) {
        var simulated = fixture.devices[index]
        simulated.device.status = status.rawValue
        simulated.lastUsageDate = fixture.clock.now.addingTimeInterval(-daysAgo * 86_400)
        simulated.cycleDataBytes = 1000
        fixture.simulator.load([simulated])
    }

    @Test(arguments: TestEngine.allCases) func recentUsageBlocksUnlessOverriddenAndActiveSIMsAreDeactivatedFirst(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            try #require(active.count >= 3)
            Self.setUsage(fixture, index: active[0], daysAgo: 3, status: .activated)
            Self.setUsage(fixture, index: active[1], daysAgo: 3, status: .activated)
            Self.setUsage(fixture, index: active[2], daysAgo: 45, status: .activated)
            let (busy, overridden, quiet) = (
                fixture.iccid(active[0]), fixture.iccid(active[1]), fixture.iccid(active[2])
            )
            let path = try fixture.write(
                "archival_2026.csv",
                """
                iccid,reason,retention_days,override_usage_check
                \(busy),end of contract,,
                \(overridden),stolen,30,yes
                \(quiet),end of contract,,

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed, .processed, .processed])
            #expect(report.results[0].message.contains("override_usage_check"))
            #expect(fixture.carrier(busy)?.status == "ACTIVATED")
            #expect(try await fixture.stored(busy)?.archivedAt == nil)
            for iccid in [overridden, quiet] {
                #expect(fixture.carrier(iccid)?.status == "DEACTIVATED", "deactivated before archival")
                let stored = try await fixture.stored(iccid)
                #expect(stored?.archivedAt != nil)
                #expect(stored?.status == "DEACTIVATED")
            }
            let retained = try await fixture.stored(overridden)?.retainUntil
            #expect(retained == fixture.clock.now.addingTimeInterval(30 * 86_400))
        }
    }

    /// The inventory says DEACTIVATED (or ACTIVATION_READY) but Control Center says otherwise: the
    /// live status decides, and the SIM is deactivated on Control Center before it is archived.
    @Test(arguments: TestEngine.allCases) func theCarriersLiveStatusDecidesWhetherToDeactivate(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            try #require(active.count >= 2)
            let (stale, ready) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            // The store believes the first is DEACTIVATED; the carrier has the second ACTIVATION_READY.
            let providerID = try #require(try await fixture.workspace.provider(named: "POD19").id)
            try await fixture.workspace.store.write { connection in
                let device = try #require(try connection.device(providerID: providerID, iccid: stale))
                _ = try connection.updateDevice(
                    id: device.id!, changes: [.status: "DEACTIVATED"], at: Date(), detailID: nil)
            }
            Self.setUsage(fixture, index: active[0], daysAgo: 60, status: .activated)
            Self.setUsage(fixture, index: active[1], daysAgo: 60, status: .activationReady)
            let path = try fixture.write(
                "archival_live.csv", "iccid,reason\n\(stale),end of contract\n\(ready),stolen\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .processed], "\(report.results.map(\.message))")
            for iccid in [stale, ready] {
                #expect(fixture.carrier(iccid)?.status == "DEACTIVATED", "deactivated on Control Center")
                #expect(try await fixture.stored(iccid)?.archivedAt != nil)
            }
            #expect(report.results[1].message.hasPrefix("deactivated (it was ACTIVATION_READY on Control Center)"))
        }
    }

    /// A future-dated change BulkDrop sent is still pending on the carrier: archival would leave it
    /// to land on an archived device, and the API cannot cancel it, so the row fails and says so.
    @Test(arguments: TestEngine.allCases) func aChangePendingOnTheCarrierFailsTheRow(on engine: TestEngine) async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let index = fixture.acmeDevices(withStatus: .activated)[0]
            let iccid = fixture.iccid(index)
            Self.setUsage(fixture, index: index, daysAgo: 60, status: .activated)
            let plan = try #require(GeneratedDevices.ratePlans.first { $0 != fixture.devices[index].device.ratePlan })
            let later = Timestamps.day(fixture.clock.now.addingTimeInterval(10 * 86_400))
            let planned = try fixture.write(
                "carrier-rate-plan_later.csv", "iccid,carrier_rate_plan,effective_date\n\(iccid),\(plan),\(later)\n")
            #expect(try await fixture.run(planned).results.map(\.outcome) == [.scheduled])
            let path = try fixture.write("archival_pending.csv", "iccid,reason\n\(iccid),end of contract\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed])
            #expect(report.results[0].message.contains("its API cannot cancel a scheduled change"))
            #expect(report.results[0].message.contains("from \(later)"), "\(report.results[0].message)")
            #expect(fixture.carrier(iccid)?.status == "ACTIVATED", "not deactivated")
            #expect(try await fixture.stored(iccid)?.archivedAt == nil)
        }
    }

    @Test(arguments: TestEngine.allCases) func archivedDeviceKeepsItsHistoryAndTakesNoMoreChanges(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let index = fixture.acmeDevices(withStatus: .activated)[0]
            Self.setUsage(fixture, index: index, daysAgo: 60, status: .activated)
            let iccid = fixture.iccid(index)
            _ = try await fixture.run(try fixture.write("archival_one.csv", "iccid\n\(iccid)\n"))
            let again = try await fixture.run(
                try fixture.write("status-update_after.csv", "iccid,target_status\n\(iccid),ACTIVATED\n"))
            #expect(again.results.map(\.outcome) == [.rejected])
            let stored = try #require(try await fixture.stored(iccid))
            let history = try await fixture.workspace.store.read { connection in
                try connection.history(deviceID: stored.id ?? 0)
            }
            #expect(history.map(\.field).contains(.status))
            #expect(history.map(\.field).contains(.archivedAt))
        }
    }
}
