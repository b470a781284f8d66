import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import Synchronization
import TestSupport
import Testing

/// The scheduler reports like a bulk change: a results file per run, the parent's status, counts
/// and files brought up to date, one email per run and parent for failed rows; future-dated
/// archivals are queued and sent to Control Center on their date, under the parent's lease.
@Suite("scheduler")
struct SchedulerTests {
    /// Marks an acme device archived in the store, as another file would have.
    static func archiveInStore(_ fixture: PipelineFixture, _ iccid: String) async throws {
        let id = try #require(try await fixture.stored(iccid)?.id)
        let now = fixture.clock.now
        try await fixture.workspace.store.write { connection in
            _ = try connection.updateDevice(
                id: id, changes: [.archivedAt: now.formatted(Date.ISO8601FormatStyle())], at: now, detailID: nil)
        }
    }

    static func bulkChange(_ fixture: PipelineFixture, _ id: Int64) async throws -> BulkChangeRecord? {
        try await fixture.workspace.store.read { connection in try connection.bulkChange(id: id) }
    }

    static func notifications(_ fixture: PipelineFixture) async throws -> [NotificationRecord] {
        try await fixture.workspace.store.read { connection in try connection.notifications(status: .pending) }
    }

    @Test(arguments: TestEngine.allCases) func aScheduledChangeThatFailsUpdatesItsBulkChangeAndSendsOneEmail(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            try await CustomerRatePlanTests.addPlans(fixture)
            let (gone, kept) = (fixture.iccid(0), fixture.iccid(1))
            let path = try fixture.write(
                "customer-rate-plan_later.csv",
                """
                iccid,customer_rate_plan_id,effective_date
                \(gone),PLUS,\(fixture.day(after: 7))
                \(kept),PLUS,\(fixture.day(after: 7))

                """)
            let queued = try await fixture.run(path)
            let id = queued.summary.bulkChangeID
            #expect(queued.results.map(\.outcome) == [.scheduled, .scheduled])
            #expect(try await Self.bulkChange(fixture, id)?.status == "PROCESSED")
            try await Self.archiveInStore(fixture, gone)

            fixture.clock.advance(days: 8)
            let report = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(report.count == 2)
            #expect(report.count(.processed) == 1)
            #expect(report.count(.failed) == 1)
            #expect(report.attention == 1)
            let change = try #require(try await Self.bulkChange(fixture, id))
            #expect(change.status == "COMPLETED_WITH_ERRORS", "derived again from the rows")
            #expect(change.counts == ["PROCESSED": 1, "FAILED": 1])
            let lines = try fixture.outboxLines(queued.paths.results)
            #expect(lines[1].contains(",FAILED,"), "the parent's results show the final outcome")
            #expect(lines[2].contains(",PROCESSED,"))
            #expect(try fixture.outboxText(queued.paths.summary).contains("\"FAILED\" : 1"))
            #expect(try fixture.outboxText(queued.paths.errors).contains(gone))

            let runFile = try #require(report.files["acme"]?.first)
            #expect(runFile.contains("customer-rate-plan_scheduled_"))
            let runLines = try fixture.outboxLines(runFile)
            #expect(runLines.count == 3)
            #expect(runLines[1].contains("row 1 of customer-rate-plan_later.csv (bulk change \(id))"))

            let emails = try await Self.notifications(fixture)
            #expect(emails.count == 1)
            let email = try #require(emails.first)
            #expect(email.dedupeKey.hasSuffix("-bulk-change-\(id)"))
            #expect(email.subject.contains("1 scheduled change failed"))
            #expect(email.body.contains(gone))
            #expect(email.attachmentName == "customer-rate-plan_later.results.xlsx")

            let again = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(again.count == 0, "applied and reported once")
            #expect(try await Self.notifications(fixture).count == 1, "never a second email")
        }
    }

    @Test(arguments: TestEngine.allCases) func aFutureArchivalIsQueuedAndArchivedThroughControlCenterOnItsDate(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let index = fixture.acmeDevices(withStatus: .activated)[0]
            ArchivalTests.setUsage(fixture, index: index, daysAgo: 60, status: .activated)
            let iccid = fixture.iccid(index)
            let path = try fixture.write(
                "archival_later.csv", "iccid,effective_date,retention_days\n\(iccid),\(fixture.day(after: 3)),30\n")
            let queued = try await fixture.run(path)
            #expect(queued.results.map(\.outcome) == [.scheduled])
            #expect(queued.results[0].message.contains("queued; applied on \(fixture.day(after: 3))"))
            // One device read proved the credentials at intake; no edit goes out before the date.
            #expect(fixture.simulator.counters.calls.keys.sorted() == ["GET /devices/{iccid}"])
            #expect(fixture.simulator.counters.total("GET /devices/{iccid}") == 1, "nothing is sent before the date")
            #expect(try await fixture.stored(iccid)?.archivedAt == nil)
            #expect(try await Scheduler(workspace: fixture.workspace).applyDue().count == 0, "not due yet")

            fixture.clock.advance(days: 4)
            let report = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(report.results["acme"]?.map(\.outcome) == [.processed])
            #expect(fixture.carrier(iccid)?.status == "DEACTIVATED", "deactivated on Control Center first")
            let stored = try #require(try await fixture.stored(iccid))
            #expect(stored.archivedAt == fixture.clock.now)
            #expect(stored.retainUntil == fixture.clock.now.addingTimeInterval(30 * 86_400))
            let change = try #require(try await Self.bulkChange(fixture, queued.summary.bulkChangeID))
            #expect(change.status == "PROCESSED")
            #expect(try fixture.outboxLines(queued.paths.results)[1].contains("archived; record kept until"))
            #expect(try #require(report.files["acme"]?.first).contains("archival_scheduled_"))
            #expect(try await Self.notifications(fixture).isEmpty, "nothing failed")
            #expect(try await Scheduler(workspace: fixture.workspace).applyDue().count == 0)
            #expect(fixture.simulator.counters.editsByDevice[iccid] == 1, "sent once")
        }
    }

    @Test(arguments: TestEngine.allCases)
    func aDueEntryWaitsWhileAnotherProcessHoldsItsBulkChangeAndRunsNeverShareAFile(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let indexes = fixture.acmeDevices(withStatus: .activated)
            try #require(indexes.count >= 2)
            var ids: [Int64] = []
            for (number, index) in indexes.prefix(2).enumerated() {
                ArchivalTests.setUsage(fixture, index: index, daysAgo: 60, status: .activated)
                let path = try fixture.write(
                    "archival_\(number).csv", "iccid,effective_date\n\(fixture.iccid(index)),\(fixture.day(after: 2))\n"
                )
                ids.append(try await fixture.run(path).summary.bulkChangeID)
            }
            fixture.clock.advance(days: 3)
            let waiting = ids[1]
            let other = "elsewhere:1:feedbeef"
            let until = fixture.clock.now.addingTimeInterval(30)
            let now = fixture.clock.now
            let held = try await fixture.workspace.store.write { connection in
                try connection.claimLease(.bulkChange, id: waiting, owner: other, until: until, now: now)
            }
            #expect(held)
            let first = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(first.count == 1)
            #expect(fixture.carrier(fixture.iccid(indexes[1]))?.status == "ACTIVATED", "its holder's work")
            #expect(try await Self.bulkChange(fixture, ids[1])?.counts == ["SCHEDULED": 1])

            try await fixture.workspace.store.write { connection in
                try connection.releaseLease(.bulkChange, id: waiting, owner: other)
            }
            let second = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(second.count == 1)
            #expect(fixture.carrier(fixture.iccid(indexes[1]))?.status == "DEACTIVATED")
            let files = (first.files["acme"] ?? []) + (second.files["acme"] ?? [])
            #expect(files.count == 2)
            #expect(Set(files).count == 2, "two runs in the same second, two files")
        }
    }

    @Test(arguments: TestEngine.allCases) func aRunLeftByAStoppedProcessIsFinishedByTheNextPass(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let index = fixture.acmeDevices(withStatus: .activated)[0]
            ArchivalTests.setUsage(fixture, index: index, daysAgo: 60, status: .activated)
            let iccid = fixture.iccid(index)
            let queued = try await fixture.run(
                try fixture.write("archival_stop.csv", "iccid,effective_date\n\(iccid),\(fixture.day(after: 1))\n"))
            fixture.clock.advance(days: 2)
            // Stops right after taking the entry up: the second question is asked before the run is worked.
            let asked = Atomic<Int>(0)
            let stopped = try await Scheduler(
                workspace: fixture.workspace, shouldStop: { asked.add(1, ordering: .relaxed).newValue > 1 }
            ).applyDue()
            #expect(stopped.count == 0)
            #expect(fixture.simulator.counters.total("PUT /devices/{iccid}") == 0, "no edit before the stop")
            #expect(try await Self.bulkChange(fixture, queued.summary.bulkChangeID)?.counts == ["PENDING": 1])

            let finished = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(finished.results["acme"]?.map(\.outcome) == [.processed])
            #expect(fixture.carrier(iccid)?.status == "DEACTIVATED")
            #expect(try await Self.bulkChange(fixture, queued.summary.bulkChangeID)?.status == "PROCESSED")
        }
    }
}
