import BulkChange
import Foundation
import Store
import Synchronization
import Testing

@testable import Pipeline

/// A writer still at a file after its claim: only the bytes hashed at the claim are applied, the
/// rows a CSV file gains are dropped again as a file of their own, and the partner is told.
@Suite("late writes: a file that changes after its claim")
struct LateWriteTests {
    /// The file of `rows` status changes for acme devices `from..<from+rows` that are activated.
    static func rows(_ fixture: PipelineFixture, _ devices: ArraySlice<Int>) -> String {
        devices.map { "\(fixture.iccid($0)),DEACTIVATED\n" }.joined()
    }

    static func claim(_ fixture: PipelineFixture, name: String, text: String) async throws -> (
        FileLifecycle, ClaimedFile, LogLines
    ) {
        let inbox = fixture.workspace.configuration.inbox + "/acme"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let path = inbox + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let lines = LogLines()
        let log = EventLog(now: { fixture.clock.now }) { line in lines.lines.withLock { $0.append(line) } }
        let lifecycle = FileLifecycle(workspace: fixture.workspace, log: log)
        let claimed = try #require(
            await lifecycle.claim(
                InboxFile(
                    tenant: "acme", path: path, name: name, size: Int64(text.utf8.count), modified: Date())))
        return (lifecycle, claimed, lines)
    }

    @Test func rowsAddedAfterTheClaimAreDroppedAgainAndReported() async throws {
        try await PipelineFixture.make().use { fixture in
            let devices = fixture.acmeDevices(withStatus: .activated)
            try #require(devices.count >= 3)
            let name = "status-update_late.csv"
            let first = "iccid,target_status\n" + Self.rows(fixture, devices[0..<1])
            let (lifecycle, claimed, lines) = try await Self.claim(fixture, name: name, text: first)
            // The writer goes on: two more rows.
            let handle = try #require(FileHandle(forWritingAtPath: claimed.path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(Self.rows(fixture, devices[1..<3]).utf8))
            try handle.close()

            await lifecycle.apply(claimed, options: RunOptions())

            let edits = fixture.simulator.counters.editsByDevice
            #expect(edits.count == 1, "only the rows hashed at the claim were applied: \(edits)")
            let inbox = fixture.workspace.configuration.inbox + "/acme"
            let continuation = "status-update_late.continued-\(claimed.ledgerID).csv"
            let dropped = try String(contentsOfFile: inbox + "/" + continuation, encoding: .utf8)
            #expect(dropped == "iccid,target_status\n" + Self.rows(fixture, devices[1..<3]))
            let summary = try String(
                contentsOfFile: fixture.workspace.configuration.outbox + "/acme/status-update_late.summary.json",
                encoding: .utf8)
            #expect(summary.contains("changed after it was claimed"))
            #expect(summary.contains(continuation))
            let mail = try await fixture.workspace.store.read { connection in
                try connection.notifications(status: .pending).first {
                    $0.dedupeKey == "file-changed-\(claimed.ledgerID)"
                }
            }
            #expect(mail?.body.contains(continuation) == true)
            #expect(lines.lines.withLock { $0 }.contains { $0.contains("event=changed-after-claim") })
        }
    }

    @Test func aLineCutByTheClaimIsInTheContinuationWhole() async throws {
        try await PipelineFixture.make().use { fixture in
            let devices = fixture.acmeDevices(withStatus: .activated)
            let iccid = fixture.iccid(devices[1])
            let text = "iccid,target_status\n" + Self.rows(fixture, devices[0..<1]) + iccid + ",DEAC"
            let (lifecycle, claimed, _) = try await Self.claim(fixture, name: "status-update_cut.csv", text: text)
            let handle = try #require(FileHandle(forWritingAtPath: claimed.path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("TIVATED\n".utf8))
            try handle.close()

            await lifecycle.apply(claimed, options: RunOptions())

            let inbox = fixture.workspace.configuration.inbox + "/acme"
            let dropped = try String(
                contentsOfFile: inbox + "/status-update_cut.continued-\(claimed.ledgerID).csv", encoding: .utf8)
            #expect(dropped == "iccid,target_status\n\(iccid),DEACTIVATED\n")
        }
    }

    @Test func aJSONFileThatChangedIsReportedNotDroppedAgain() async throws {
        try await PipelineFixture.make().use { fixture in
            let devices = fixture.acmeDevices(withStatus: .activated)
            let json =
                #"{"changeType": "status-update", "devices": [{"iccid": "\#(fixture.iccid(devices[0]))", "target_status": "DEACTIVATED"}]}"#
            let (lifecycle, claimed, _) = try await Self.claim(fixture, name: "status-update_late.json", text: json)
            try (json + "\n ").write(toFile: claimed.path, atomically: false, encoding: .utf8)

            await lifecycle.apply(claimed, options: RunOptions())

            let inbox = try FileManager.default.contentsOfDirectory(
                atPath: fixture.workspace.configuration.inbox + "/acme")
            #expect(inbox.filter { $0.contains("continued") }.isEmpty)
            let summary = try String(
                contentsOfFile: fixture.workspace.configuration.outbox + "/acme/status-update_late.summary.json",
                encoding: .utf8)
            #expect(summary.contains("the new content was not"))
        }
    }

    @Test func aRecordedFileRemovedBeforeItsResumeIsFinishedFromTheStore() async throws {
        try await PipelineFixture.make().use { fixture in
            let devices = fixture.acmeDevices(withStatus: .activated)
            let text = "iccid,target_status\n" + Self.rows(fixture, devices[0..<3])
            let (lifecycle, claimed, _) = try await Self.claim(fixture, name: "status-update_gone.csv", text: text)
            // The first run records the bulk change and stops before any device.
            var options = RunOptions()
            options.shouldStop = { true }
            await lifecycle.apply(claimed, options: options)
            let entry = try #require(
                try await fixture.workspace.store.read { try $0.openLedgerEntries() }.first)
            let id = try #require(entry.bulkChangeID)
            try FileManager.default.removeItem(atPath: claimed.path)

            var resumed = claimed
            resumed.bulkChangeID = id
            let reports = Mutex<[String]>([])
            await lifecycle.apply(
                resumed,
                options: RunOptions(progress: { done, total in reports.withLock { $0.append("\(done)/\(total)") } }))
            #expect(reports.withLock { $0 }.sorted() == ["1/3", "2/3", "3/3"], "the total is the whole file's")

            let closed = try #require(
                try await fixture.workspace.store.read { try $0.ledgerEntry(id: claimed.ledgerID) })
            #expect(closed.status == .done)
            #expect(closed.note?.contains("applied from the store") == true, "\(closed.note ?? "")")
            let details = try await fixture.workspace.store.read { try $0.details(bulkChangeID: id) }
            #expect(details.map(\.status) == ["PROCESSED", "PROCESSED", "PROCESSED"])
            let results = try String(
                contentsOfFile: fixture.workspace.configuration.outbox + "/acme/status-update_gone.results.csv",
                encoding: .utf8)
            #expect(results.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 4)
        }
    }
}

/// The lines an `EventLog` wrote.
final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
}
