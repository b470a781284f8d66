import BulkChange
import Foundation
import Jasper
import JasperSim
import Store
import Synchronization
import Testing

@testable import Pipeline

/// Nothing on the outcome path fails silently: a store that refuses writes stops the run with the
/// reason and leaves every row without a recorded outcome to be resumed; a row is never reported
/// FAILED (or anything) when its outcome is not known.
@Suite("outcome path: failures are errors, work stays resumable")
struct OutcomePathTests {
    /// A status-update file that moves every acme device somewhere else.
    static func statusFile(_ fixture: PipelineFixture) throws -> (path: String, iccids: [String]) {
        var text = "iccid,target_status\n"
        var iccids: [String] = []
        for index in 0..<PipelineFixture.inventory where fixture.devices[index].device.status != "RETIRED" {
            let target = fixture.devices[index].device.status == "ACTIVATED" ? "DEACTIVATED" : "ACTIVATED"
            text += "\(fixture.iccid(index)),\(target)\n"
            iccids.append(fixture.iccid(index))
        }
        return (try fixture.write("status-update_faults.csv", text), iccids)
    }

    static func latestBulkChange(_ fixture: PipelineFixture) async throws -> BulkChangeRecord? {
        try await fixture.workspace.store.read { connection in try connection.recentBulkChanges(limit: 1).first }
    }

    static func details(_ fixture: PipelineFixture, _ id: Int64) async throws -> [DetailRecord] {
        try await fixture.workspace.store.read { connection in try connection.details(bulkChangeID: id) }
    }

    @Test func storeThatStopsTakingWritesStopsTheRunAndTheResumeFinishesIt() async throws {
        let store = Mutex<Store?>(nil)
        try await PipelineFixture.make(wrapEndpoint: { base, _ in
            FaultInjectingEndpoint(base) { call, step in
                // The database goes away just as the fourth edit is about to be sent.
                if call.kind == .editDevice, call.number == 4, step == .beforeSending {
                    store.withLock { $0 }?.injectFaults(.everyWrite(from: 1))
                }
                return nil
            }
        }).use { fixture in
            store.withLock { $0 = fixture.workspace.store }
            let (path, iccids) = try Self.statusFile(fixture)

            let error = await #expect(throws: PipelineError.self) {
                try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
            }
            switch error {
            case .store?, .unrecorded?: break
            default: Issue.record("expected a store error, got \(String(describing: error))")
            }
            #expect(
                !FileManager.default.fileExists(
                    atPath: fixture.folder + "/outbox/acme/status-update_faults.results.csv"))

            fixture.workspace.store.injectFaults(nil)
            let change = try #require(try await Self.latestBulkChange(fixture))
            let before = try await Self.details(fixture, change.id)
            #expect(before.contains { Outcome(rawValue: $0.status) == nil }, "rows without an outcome are left open")
            #expect(!before.contains { $0.status == "FAILED" && ($0.message ?? "").isEmpty }, "no silent FAILED")

            let report = try await BulkChangeRunner(workspace: fixture.workspace).resume(
                bulkChangeID: change.id, options: RunOptions())
            #expect(report.results.map(\.outcome) == Array(repeating: .processed, count: iccids.count))
            let edits = fixture.simulator.counters.editsByDevice
            #expect(Set(edits.keys) == Set(iccids))
            #expect(edits.values.allSatisfy { $0 == 1 }, "no edit sent twice: \(edits)")
        }
    }

    @Test func aSingleFailedWriteLosesNothing() async throws {
        try await PipelineFixture.make().use { fixture in
            let (path, iccids) = try Self.statusFile(fixture)
            // Write 3 is a device's first state change; its batch is written again one unit at a time.
            let faults = StoreFaults.write(3)
            fixture.workspace.store.injectFaults(faults)
            let report = try await fixture.run(path)
            #expect(faults.attempted > 3, "the fault struck during the run")
            #expect(report.results.map(\.outcome) == Array(repeating: .processed, count: iccids.count))
            #expect(fixture.simulator.counters.editsByDevice.values.allSatisfy { $0 == 1 })
        }
    }

    @Test func rowsWhoseStoredRequestCannotBeReadAreFailedWithTheReasonOnResume() async throws {
        try await PipelineFixture.make().use { fixture in
            let (path, iccids) = try Self.statusFile(fixture)
            let options = RunOptions(shouldStop: { true })  // stopped at once: every row left PENDING
            let interrupted = await #expect(throws: PipelineError.self) {
                try await BulkChangeRunner(workspace: fixture.workspace).run(
                    path: path, tenant: "acme", options: options)
            }
            guard case .interrupted(let id)? = interrupted else {
                Issue.record("expected the run to stop, got \(String(describing: interrupted))")
                return
            }
            let pending = try await Self.details(fixture, id).filter { $0.status == "PENDING" }
            let broken = try #require(pending.first)
            try await fixture.workspace.store.write { connection in
                try connection.execute(
                    "UPDATE bulk_change_detail SET request_json = '{\"not\": 1}' WHERE id = \(broken.id)")
            }
            let report = try await BulkChangeRunner(workspace: fixture.workspace).resume(
                bulkChangeID: id, options: RunOptions())
            let row = try #require(report.results.first { $0.row == broken.rowNumber })
            #expect(row.outcome == .failed)
            #expect(row.message.hasPrefix("the stored request of this row cannot be read"))
            #expect(row.message.contains("not sent"))
            #expect(fixture.simulator.counters.editsByDevice[broken.iccid] == nil, "never sent")
            #expect(report.results.filter { $0.outcome == .processed }.count == iccids.count - 1)
        }
    }

    @Test func fileWhoseContentCannotBeReadIsHeldAndNeverADuplicate() async throws {
        try await PipelineFixture.make().use { fixture in
            let inbox = fixture.workspace.configuration.inbox + "/acme"
            // A folder in place of a file: it can be moved, but reading it fails.
            let path = inbox + "/status-update_held.csv"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let lines = Mutex<[String]>([])
            let log = EventLog(now: { fixture.clock.now }) { line in lines.withLock { $0.append(line) } }
            let lifecycle = FileLifecycle(workspace: fixture.workspace, log: log)
            let claimed = await lifecycle.claim(
                InboxFile(tenant: "acme", path: path, name: "status-update_held.csv", size: 0, modified: Date()))
            #expect(claimed == nil, "a file that cannot be read is not applied")
            let entries = try await fixture.workspace.store.read { try $0.openLedgerEntries() }
            #expect(entries.count == 1)
            #expect(entries.first?.contentHash == "", "no hash was made up")
            #expect(
                entries.first?.note?.hasPrefix("held: cannot read") == true,
                "\(String(describing: entries.first?.note))")
            #expect(lines.withLock { $0 }.contains { $0.contains("event=held") && $0.contains("level=error") })
        }
    }

    @Test func firstFailureStopsNewWorkLetsRunningWorkFinishAndIsThrown() async {
        struct Failure: Error, Equatable { var index: Int }
        let started = Mutex<[Int]>([])
        let finished = Mutex<[Int]>([])
        let error = await #expect(throws: Failure.self) {
            try await forEachConcurrently(count: 10, width: 2) { index throws(Failure) in
                started.withLock { $0.append(index) }
                if index == 1 { throw Failure(index: 1) }
                await Task.yield()
                finished.withLock { $0.append(index) }
            }
        }
        #expect(error == Failure(index: 1))
        let ran = started.withLock { $0 }
        #expect(ran.count <= 3, "after the failure no new index starts: \(ran)")
        #expect(Set(finished.withLock { $0 }) == Set(ran).subtracting([1]), "what started, finished")
    }
}
