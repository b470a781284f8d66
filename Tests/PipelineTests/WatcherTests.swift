import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import Synchronization
import TestSupport
import Testing

/// The inbox watcher end to end (`run(once:)` with no settle time): pick-up, duplicates,
/// misplaced and unusable files, odd names, symlinks, two tenants at once.
@Suite("inbox watcher")
struct WatcherTests {
    static let settings = InboxWatcher.Settings(
        pollInterval: .milliseconds(10), settleInterval: .zero, progressInterval: .zero)

    /// A watcher over the fixture's workspace whose log lines are kept.
    final class Harness: Sendable {
        let fixture: PipelineFixture
        let lines = Mutex<[String]>([])
        var inbox: String { fixture.workspace.configuration.inbox }
        var outbox: String { fixture.workspace.configuration.outbox }
        var state: String { fixture.workspace.configuration.stateDirectory }

        init(_ fixture: PipelineFixture) { self.fixture = fixture }

        func drop(_ name: String, _ text: String, tenant: String = "acme") throws {
            try FileManager.default.createDirectory(atPath: "\(inbox)/\(tenant)", withIntermediateDirectories: true)
            try text.write(toFile: "\(inbox)/\(tenant)/\(name)", atomically: true, encoding: .utf8)
        }

        func runOnce() async {
            let log = EventLog(now: { self.fixture.clock.now }) { line in self.lines.withLock { $0.append(line) } }
            await InboxWatcher(workspace: fixture.workspace, settings: WatcherTests.settings, log: log).run(once: true)
        }

        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

        /// Every path under `folder`; a missing folder is an error, so "no files" is never a wrong path.
        func files(in folder: String) throws -> [String] {
            try FileManager.default.subpathsOfDirectory(atPath: folder).sorted()
        }

        var log: String { lines.withLock { $0.joined() } }
    }

    static func statusFile(_ fixture: PipelineFixture) -> String {
        let index = fixture.acmeDevices(withStatus: .activated)[0]
        return "iccid,target_status\n\(fixture.iccid(index)),DEACTIVATED\n"
    }

    @Test(arguments: TestEngine.allCases) func droppedFileIsAppliedArchivedAndNotAppliedTwice(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let harness = Harness(fixture)
            try harness.drop("status-update_one.csv", Self.statusFile(harness.fixture))
            await harness.runOnce()
            #expect(harness.exists("\(harness.outbox)/acme/status-update_one.results.csv"))
            #expect(try harness.files(in: "\(harness.inbox)/acme").isEmpty)
            #expect(
                try harness.files(in: "\(harness.state)/archive/acme").contains {
                    $0.hasSuffix("/status-update_one.csv")
                })
            #expect(try harness.files(in: "\(harness.state)/processing").filter { $0.hasSuffix(".csv") }.isEmpty)
            let puts = harness.fixture.simulator.counters.total("PUT /devices/{iccid}")
            #expect(puts == 1)

            try harness.drop("status-update_again.csv", Self.statusFile(harness.fixture))
            await harness.runOnce()
            #expect(harness.fixture.simulator.counters.total("PUT /devices/{iccid}") == puts, "not applied twice")
            let notice = try String(
                contentsOfFile: "\(harness.outbox)/acme/status-update_again.duplicate.txt", encoding: .utf8)
            #expect(notice.contains("status-update_one.csv"))
            #expect(notice.contains("status-update_one.results.csv"))
            #expect(!harness.exists("\(harness.outbox)/acme/status-update_again.results.csv"))
        }
    }

    @Test(arguments: TestEngine.allCases) func misplacedAndUnusableFilesAreSetAsideWithAReason(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let harness = Harness(fixture)
            try harness.drop("status-update_top.csv", Self.statusFile(harness.fixture), tenant: "")
            try harness.drop("status-update_x.csv", Self.statusFile(harness.fixture), tenant: "stranger")
            try harness.drop("status-update_empty.csv", "")
            try Data([0x00, 0xFF, 0x10, 0x00, 0x89, 0x50]).write(
                to: URL(fileURLWithPath: "\(harness.inbox)/acme/status-update_blob.csv"))
            try harness.drop("fleet.csv", Self.statusFile(harness.fixture))
            await harness.runOnce()
            let misplaced = try harness.files(in: "\(harness.state)/misplaced")
            #expect(misplaced.contains("status-update_top.csv"))
            #expect(misplaced.contains("status-update_x.csv.reason.txt"))
            let rejected = try harness.files(in: "\(harness.outbox)/acme/rejected")
            for name in ["status-update_empty.csv", "status-update_blob.csv", "fleet.csv"] {
                #expect(rejected.contains(name))
                #expect(rejected.contains(name + ".reason.txt"))
            }
            let reason = try String(
                contentsOfFile: "\(harness.outbox)/acme/rejected/fleet.csv.reason.txt", encoding: .utf8)
            #expect(reason.contains("status-update"), "names the slugs: \(reason)")
            #expect(harness.fixture.simulator.counters.calls.isEmpty)
            #expect(harness.log.contains("event=misplaced"))

            await harness.runOnce()  // never retried in a loop
            #expect(try harness.files(in: "\(harness.outbox)/acme/rejected") == rejected)
        }
    }

    @Test(arguments: TestEngine.allCases) func aFileWhoseNameIsNotUTF8IsRejectedUnderItsEscapedName(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let harness = Harness(fixture)
            try harness.drop("placeholder.csv", "")
            try FileManager.default.removeItem(atPath: "\(harness.inbox)/acme/placeholder.csv")
            let raw =
                Array("\(harness.inbox)/acme/status-update_caf".utf8CString.dropLast()) + [-23]
                + Array(".csv".utf8CString)
            let descriptor = open(raw, O_CREAT | O_WRONLY, 0o600)
            try #require(descriptor >= 0)
            close(descriptor)
            await harness.runOnce()
            let rejected = try harness.files(in: "\(harness.outbox)/acme/rejected")
            #expect(rejected.contains("status-update_caf\\xE9.csv"), "\(rejected)")
            let reason = try String(
                contentsOfFile: "\(harness.outbox)/acme/rejected/status-update_caf\\xE9.csv.reason.txt", encoding: .utf8
            )
            #expect(reason.contains("not UTF-8"))
            #expect(try harness.files(in: "\(harness.inbox)/acme").isEmpty, "nothing left behind, hidden or not")
            #expect(harness.log.contains("event=rejected"))
        }
    }

    @Test(arguments: TestEngine.allCases) func oddNamesStayInTheirTenantsFolders(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let harness = Harness(fixture)
            let name = "status-update_ flöt ..x -1.csv"
            try harness.drop(name, Self.statusFile(harness.fixture))
            await harness.runOnce()
            #expect(harness.exists("\(harness.outbox)/acme/status-update_ flöt ..x -1.results.csv"))
            #expect(try harness.files(in: "\(harness.outbox)/other").isEmpty)
            #expect(
                Set(try harness.files(in: harness.outbox).map { $0.split(separator: "/")[0] }) == ["acme", "other"])
        }
    }

    @Test(arguments: TestEngine.allCases) func symlinkToAFileOutsideTheInboxIsNeverFollowed(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let harness = Harness(fixture)
            let outside = harness.fixture.folder + "/secret-status-update.csv"
            try Self.statusFile(harness.fixture).write(toFile: outside, atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: "\(harness.inbox)/acme", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: "\(harness.inbox)/acme/status-update_link.csv", withDestinationPath: outside)
            await harness.runOnce()
            #expect(harness.exists(outside), "the target is untouched")
            #expect(harness.fixture.simulator.counters.calls.isEmpty)
            #expect(!harness.exists("\(harness.outbox)/acme/status-update_link.results.csv"))
        }
    }

    @Test(arguments: TestEngine.allCases) func twoTenantsDroppingAtOnceBothGetTheirResults(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let harness = Harness(fixture)
            try harness.drop("status-update_acme.csv", Self.statusFile(harness.fixture))
            let other = harness.fixture.iccid(8)
            let target = harness.fixture.devices[8].device.status == "ACTIVATED" ? "DEACTIVATED" : "ACTIVATED"
            try harness.drop("status-update_other.csv", "iccid,target_status\n\(other),\(target)\n", tenant: "other")
            await harness.runOnce()
            #expect(harness.exists("\(harness.outbox)/acme/status-update_acme.results.csv"))
            #expect(harness.exists("\(harness.outbox)/other/status-update_other.results.csv"))
            #expect(harness.fixture.carrier(other)?.status == target)
            #expect(!harness.exists("\(harness.outbox)/acme/status-update_acme.progress.json"), "gone once done")
        }
    }
}

/// Pick-up timing with the fixture's manual clock: a file is taken only once its size and time
/// stayed the same for the settle interval, and a `.filepart` only after its rename.
@Suite("inbox watcher: settling")
struct WatcherSettleTests {
    static func watcher(_ fixture: PipelineFixture) -> InboxWatcher {
        InboxWatcher(
            workspace: fixture.workspace,
            settings: InboxWatcher.Settings(pollInterval: .milliseconds(10), settleInterval: .seconds(60)),
            log: EventLog(now: { fixture.clock.now }) { _ in })
    }

    @Test(arguments: TestEngine.allCases) func growingFileWaitsUntilStable(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let harness = WatcherTests.Harness(fixture)
            let watcher = Self.watcher(fixture)
            try harness.drop("status-update_growing.csv", "iccid,target_status\n")
            #expect(await watcher.pollOnce() == .init(claimed: [], waiting: 1))
            fixture.clock.advance(seconds: 30)
            let handle = try #require(FileHandle(forWritingAtPath: "\(harness.inbox)/acme/status-update_growing.csv"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(WatcherTests.statusFile(fixture).split(separator: "\n")[1].utf8 + [10]))
            try handle.close()
            fixture.clock.advance(seconds: 45)
            #expect(await watcher.pollOnce() == .init(claimed: [], waiting: 1), "it grew: the clock starts again")
            fixture.clock.advance(seconds: 61)
            #expect(await watcher.pollOnce() == .init(claimed: ["status-update_growing.csv"], waiting: 0))
            await harness.runOnce()  // applies the claimed file
            #expect(harness.exists("\(harness.outbox)/acme/status-update_growing.results.csv"))
        }
    }

    @Test(arguments: TestEngine.allCases) func filepartIsTakenOnceAfterItsRename(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let harness = WatcherTests.Harness(fixture)
            let watcher = Self.watcher(fixture)
            try harness.drop("status-update_upload.csv.filepart", WatcherTests.statusFile(fixture))
            fixture.clock.advance(seconds: 120)
            #expect(await watcher.pollOnce() == .init(claimed: [], waiting: 0), "a .filepart is never a candidate")
            try FileManager.default.moveItem(
                atPath: "\(harness.inbox)/acme/status-update_upload.csv.filepart",
                toPath: "\(harness.inbox)/acme/status-update_upload.csv")
            #expect(await watcher.pollOnce() == .init(claimed: [], waiting: 1))
            fixture.clock.advance(seconds: 61)
            #expect(await watcher.pollOnce() == .init(claimed: ["status-update_upload.csv"], waiting: 0))
            fixture.clock.advance(seconds: 61)
            #expect(await watcher.pollOnce() == .init(claimed: [], waiting: 0), "taken once")
        }
    }

    @Test(arguments: TestEngine.allCases) func dueScheduledChangesAreAppliedByTheLoop(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            try await CustomerRatePlanTests.addPlans(fixture)
            let harness = WatcherTests.Harness(fixture)
            try harness.drop(
                "customer-rate-plan_later.csv",
                "iccid,customer_rate_plan_id,effective_date\n\(fixture.iccid(0)),PLUS,\(fixture.day(after: 3))\n")
            await harness.runOnce()
            #expect(try await fixture.stored(fixture.iccid(0))?.customerRatePlan == nil)
            fixture.clock.advance(days: 4)
            await harness.runOnce()
            #expect(try await fixture.stored(fixture.iccid(0))?.customerRatePlan == "PLUS")
            #expect(harness.log.contains("event=scheduled-applied"))
        }
    }
}
