import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import Testing

/// Archived records are purged once their retention date has passed; bulk changes, their rows and
/// the outbox files stay.
@Suite("retention")
struct RetentionTests {
    @Test func archivedRecordsGoAfterTheirRetentionDateAndWhatTheyDidStays() async throws {
        try await PipelineFixture.make().use { fixture in
            try await CustomerRatePlanTests.addPlans(fixture)
            let indexes = fixture.acmeDevices(withStatus: .activated)
            try #require(indexes.count >= 2)
            for index in indexes.prefix(2) {
                ArchivalTests.setUsage(fixture, index: index, daysAgo: 60, status: .activated)
            }
            let (plain, waiting) = (fixture.iccid(indexes[0]), fixture.iccid(indexes[1]))
            // The second device has a plan change queued for day 10: its record waits for it.
            _ = try await fixture.run(
                try fixture.write(
                    "customer-rate-plan_q.csv",
                    "iccid,customer_rate_plan_id,effective_date\n\(waiting),PLUS,\(fixture.day(after: 10))\n"))
            let archived = try await fixture.run(
                try fixture.write("archival_now.csv", "iccid,retention_days\n\(plain),1\n\(waiting),1\n"))
            #expect(archived.results.map(\.outcome) == [.processed, .processed])
            let plainID = try #require(try await fixture.stored(plain)?.id)
            let recorder = LogRecorder(clock: fixture.clock)
            let purge = RetentionPurge(workspace: fixture.workspace, log: recorder.log)
            #expect(await purge.purgeDue() == 0, "kept until the retention date")

            fixture.clock.advance(days: 2)
            #expect(await purge.purgeDue() == 1)
            #expect(try await fixture.stored(plain) == nil)
            #expect(try await fixture.stored(waiting) != nil, "a queued change still waits for it")
            let history = try await fixture.workspace.store.read { connection in
                try connection.history(deviceID: plainID)
            }
            #expect(history.isEmpty)
            let details = try await fixture.workspace.store.read { connection in
                try connection.details(bulkChangeID: archived.summary.bulkChangeID)
            }
            #expect(details.map(\.status) == ["PROCESSED", "PROCESSED"], "the bulk change's rows stay")
            #expect(FileManager.default.fileExists(atPath: archived.paths.results))
            let line = try #require(recorder.events("purged").first)
            #expect(line.contains("iccid=\(plain)"))
            #expect(line.contains("tenant=acme"))

            fixture.clock.advance(days: 9)
            let report = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(report.count(.failed) == 1, "the device was archived before the change was due")
            #expect(await purge.purgeDue() == 1)
            #expect(try await fixture.stored(waiting) == nil)
        }
    }
}
