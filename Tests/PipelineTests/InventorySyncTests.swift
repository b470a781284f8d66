import BulkChange
import Foundation
import Jasper
import JasperSim
import Pipeline
import Store
import Testing

/// `devices sync` that continues where the provider's last sync ended, `--since` over it, and the
/// service loop's periodic sync (`inventorySyncMinutes`) under a lease per provider.
@Suite("inventory sync")
struct InventorySyncTests {
    static let day: TimeInterval = 86_400

    /// Device 0 changed on Control Center at `date` (its status flipped); returns its new status.
    static func changeOnCarrier(_ fixture: PipelineFixture, at date: Date) -> String {
        var device = fixture.devices[0]
        let status = device.device.status == "ACTIVATED" ? "DEACTIVATED" : "ACTIVATED"
        device.device.status = status
        fixture.simulator.load([InventoryTests.stamped(device, JasperTimestamp.format(date))])
        return status
    }

    static func syncPoint(_ fixture: PipelineFixture) async throws -> ProviderSyncRecord? {
        try await fixture.workspace.store.read { connection in
            try connection.providerSync(providerID: try connection.provider(named: "POD19")?.id ?? 0)
        }
    }

    @Test func aSyncContinuesFromTheLastOneSoAChangeOlderThanAWeekIsPulled() async throws {
        try await PipelineFixture.make().use { fixture in
            let sync = InventorySync(workspace: fixture.workspace)
            let first = fixture.clock.now
            let report = try await sync.syncDevices(provider: "POD19")
            #expect(report.since == first.addingTimeInterval(-InventorySync.firstLookBack), "the first look-back")
            #expect(try await Self.syncPoint(fixture)?.syncedThrough == first)

            let status = Self.changeOnCarrier(fixture, at: first.addingTimeInterval(Self.day))
            fixture.clock.advance(days: 9)  // the change is 8 days old now
            let next = try await sync.syncDevices(provider: "POD19")
            #expect(next.since == first.addingTimeInterval(-InventorySync.overlap))
            #expect(next.changed == 1)
            #expect(try await fixture.stored(fixture.iccid(0))?.status == status)
            let point = try #require(try await Self.syncPoint(fixture))
            #expect(point.syncedThrough == fixture.clock.now && point.syncedAt == fixture.clock.now)
        }
    }

    @Test func sinceOverridesTheStoredPointAndALaterOneDoesNotMoveIt() async throws {
        try await PipelineFixture.make().use { fixture in
            let sync = InventorySync(workspace: fixture.workspace)
            let first = fixture.clock.now
            _ = try await sync.syncDevices(provider: "POD19")
            let status = Self.changeOnCarrier(fixture, at: first.addingTimeInterval(Self.day))
            fixture.clock.advance(days: 9)

            let recent = fixture.clock.now.addingTimeInterval(-Self.day)
            let skipped = try await sync.syncDevices(provider: "POD19", since: recent)
            #expect(skipped.since == recent && skipped.received == 0, "the change is older than --since")
            #expect(try await Self.syncPoint(fixture)?.syncedThrough == first, "a gap would open: not moved")

            let early = try await sync.syncDevices(provider: "POD19", since: first.addingTimeInterval(-Self.day))
            #expect(early.changed == 1)
            #expect(try await fixture.stored(fixture.iccid(0))?.status == status)
            #expect(try await Self.syncPoint(fixture)?.syncedThrough == fixture.clock.now)
        }
    }

    /// One pass of the service loop over an empty inbox.
    static func loop(_ fixture: PipelineFixture, _ recorder: LogRecorder) async {
        await InboxWatcher(workspace: fixture.workspace, settings: WatcherTests.settings, log: recorder.log)
            .run(once: true)
    }

    @Test func theServiceLoopSyncsEachIntervalAndLeavesAProviderLeasedElsewhere() async throws {
        try await PipelineFixture.make(inventorySyncMinutes: 60).use { fixture in
            let recorder = LogRecorder(clock: fixture.clock)
            await Self.loop(fixture, recorder)
            #expect(recorder.events("inventory-synced").count == 1, "never synced: due at once")
            #expect(try await Self.syncPoint(fixture)?.syncedAt == fixture.clock.now)

            let status = Self.changeOnCarrier(fixture, at: fixture.clock.now)
            fixture.clock.advance(by: .seconds(30 * 60))
            await Self.loop(fixture, recorder)
            #expect(recorder.events("inventory-synced").count == 1, "not due within the hour")
            #expect(try await fixture.stored(fixture.iccid(0))?.status != status)

            let providerID = try #require(try await fixture.workspace.provider(named: "POD19").id)
            let now = fixture.clock.now.addingTimeInterval(31 * 60)
            fixture.clock.advance(by: .seconds(31 * 60))
            _ = try await fixture.workspace.store.write { connection in
                try connection.claimLease(
                    .inventorySync, id: providerID, owner: "elsewhere:1:feedbeef", until: now.addingTimeInterval(30),
                    now: now)
            }
            await Self.loop(fixture, recorder)
            #expect(recorder.events("inventory-synced").count == 1, "another service holds the provider")

            fixture.clock.advance(by: .seconds(31))
            await Self.loop(fixture, recorder)
            let synced = recorder.events("inventory-synced")
            #expect(synced.count == 2, "its lease ran out: taken over")
            #expect(synced.last?.contains("changed=1") == true)
            #expect(try await fixture.stored(fixture.iccid(0))?.status == status)
            let holder = try await fixture.workspace.store.read { connection in
                try connection.leaseHolder(.inventorySync, id: providerID)
            }
            #expect(holder == nil, "the lease is given back after the sync")
        }
    }
}
