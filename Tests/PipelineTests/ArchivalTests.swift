import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import Testing

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

    @Test func recentUsageBlocksUnlessOverriddenAndActiveSIMsAreDeactivatedFirst() async throws {
        try await PipelineFixture.make().use { fixture in
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

    @Test func archivedDeviceKeepsItsHistoryAndTakesNoMoreChanges() async throws {
        try await PipelineFixture.make().use { fixture in
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
