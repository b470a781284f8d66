import BulkChange
import Foundation
import Jasper
import JasperSim
import Pipeline
import Store
import Synchronization
import TestSupport
import Testing

/// A run cut at one exact step, as if the process had been killed there, then a restart: every
/// row ends with one outcome, no work is lost, and no edit reaches Control Center twice.
///
/// The cut is made in-process: from the chosen moment the store takes no more writes and Control
/// Center hears no more calls, which leaves the database and the folders exactly as a SIGKILL at
/// that moment would. The restart is a new workspace on the same files.
@Suite("crash points: cut a run, restart, nothing lost or repeated")
struct CrashPointTests {
    /// The moment of the cut, shared by the store and the endpoint.
    final class Cut: Sendable {
        private let store = Mutex<Store?>(nil)
        private let done = Atomic<Bool>(false)

        var happened: Bool { done.load(ordering: .relaxed) }

        func attach(_ store: Store) { self.store.withLock { $0 = store } }

        /// The process "dies" now: no later write is kept, no later call is sent.
        func now() {
            done.store(true, ordering: .relaxed)
            store.withLock { $0 }?.injectFaults(.everyWrite(from: 1))
        }

        /// Wraps the provider's endpoint: `at` picks the call and the step to cut at.
        func endpoint(at pick: @escaping @Sendable (FaultInjectingEndpoint.Call, FaultInjectingEndpoint.Step) -> Bool)
            -> @Sendable (any JasperEndpoint, String) -> any JasperEndpoint
        {
            { base, _ in
                FaultInjectingEndpoint(base) { [self] call, step in
                    let name = "\(call.kind.rawValue) \(call.iccid ?? "")"
                    if happened { return .connectionFailed(call: name, reason: "the process is gone") }
                    guard pick(call, step) else { return nil }
                    now()
                    return .timeout(call: name)
                }
            }
        }
    }

    static let settings = InboxWatcher.Settings(
        pollInterval: .milliseconds(10), settleInterval: .zero, progressInterval: .zero)

    /// Runs the watcher once over `workspace`; `onLine` sees every log line as it is written.
    static func runOnce(
        _ workspace: Workspace, clock: ManualClock, onLine: @escaping @Sendable (String) -> Void = { _ in }
    )
        async
    {
        let log = EventLog(now: { clock.now }, sink: onLine)
        await InboxWatcher(workspace: workspace, settings: settings, log: log).run(once: true)
    }

    /// A status-update file that moves every acme device somewhere else.
    static func statusFile(_ fixture: PipelineFixture) -> (text: String, iccids: [String]) {
        var text = "iccid,target_status\n"
        var iccids: [String] = []
        for index in 0..<PipelineFixture.inventory {
            let status = fixture.devices[index].device.status
            guard status != SIMStatus.retired.rawValue else { continue }
            let target = status == SIMStatus.activated.rawValue ? "DEACTIVATED" : "ACTIVATED"
            text += "\(fixture.iccid(index)),\(target)\n"
            iccids.append(fixture.iccid(index))
        }
        return (text, iccids)
    }

    static func drop(_ name: String, _ text: String, into workspace: Workspace) throws {
        let folder = workspace.configuration.inbox + "/acme"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    /// Restarts on the same files and checks the end state of the one file dropped.
    static func restartAndCheck(_ fixture: PipelineFixture, file: String, edited: [String]) async throws {
        await fixture.workspace.close()
        let restarted = try await fixture.reopen()
        await runOnce(restarted, clock: fixture.clock)
        let entries = try await restarted.store.read { connection in try connection.recentLedgerEntries(limit: 10) }
        let ids = entries.compactMap(\.bulkChangeID)
        let details = try await restarted.store.read { connection in
            try ids.flatMap { id in try connection.details(bulkChangeID: id) }
        }
        await restarted.close()
        #expect(entries.map(\.status) == [.done], "one ledger entry, closed once: \(entries.map(\.note))")
        #expect(!details.isEmpty)
        #expect(details.allSatisfy { Outcome(rawValue: $0.status) != nil }, "every row has one outcome")
        let results = try String(
            contentsOfFile: fixture.workspace.configuration.outbox + "/acme/" + file + ".results.csv", encoding: .utf8)
        #expect(results.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == details.count + 1)
        let edits = fixture.simulator.counters.editsByDevice
        for iccid in edited { #expect(edits[iccid] == 1, "\(iccid) was edited \(edits[iccid] ?? 0) times, not once") }
        #expect(edits.values.allSatisfy { $0 == 1 }, "no edit repeated: \(edits)")
    }

    /// A file in a claim folder with no ledger entry (left by a version that moved before it
    /// recorded, or put there by hand) is adopted at the next start and applied once.
    @Test(arguments: TestEngine.allCases) func afterTheClaimsMove(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let (text, iccids) = Self.statusFile(fixture)
            let claim = fixture.workspace.configuration.stateDirectory + "/processing/acme/\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: claim, withIntermediateDirectories: true)
            try text.write(toFile: claim + "/status-update_cut.csv", atomically: true, encoding: .utf8)
            #expect(fixture.simulator.counters.editsByDevice.isEmpty)
            try await Self.restartAndCheck(fixture, file: "status-update_cut", edited: iccids)
        }
    }

    /// Killed between the ledger entry and the move: the entry is found at start and the move finished.
    @Test(arguments: TestEngine.allCases) func beforeTheClaimsMove(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let (text, iccids) = Self.statusFile(fixture)
            try Self.drop("status-update_cut.csv", text, into: fixture.workspace)
            let tenantID = try #require(
                try await fixture.workspace.store.read { connection in try connection.tenantID(named: "acme") })
            let path =
                fixture.workspace.configuration.stateDirectory
                + "/processing/acme/\(UUID().uuidString)/status-update_cut.csv"
            let entry = LedgerEntry(
                tenantID: tenantID, originalName: "status-update_cut.csv", size: Int64(text.utf8.count),
                contentHash: "",
                claimedAt: Date(), processingPath: path, status: .claimed)
            _ = try await fixture.workspace.store.write { connection in try connection.addLedgerEntry(entry) }
            try await Self.restartAndCheck(fixture, file: "status-update_cut", edited: iccids)
        }
    }

    @Test func afterTheLedgerInsert() async throws {
        try await PipelineFixture.make().use { fixture in
            let (text, iccids) = Self.statusFile(fixture)
            try Self.drop("status-update_cut.csv", text, into: fixture.workspace)
            let cut = Cut()
            cut.attach(fixture.workspace.store)
            await Self.runOnce(fixture.workspace, clock: fixture.clock) { line in
                if line.contains("event=claimed") { cut.now() }
            }
            #expect(cut.happened)
            #expect(fixture.simulator.counters.editsByDevice.isEmpty)
            try await Self.restartAndCheck(fixture, file: "status-update_cut", edited: iccids)
        }
    }

    /// Runs the status file for all acme devices, cut at the call `pick` chooses, then restarts;
    /// `sent` says how many edits reached Control Center before the cut.
    static func cutStatusFile(
        at pick: @escaping @Sendable (FaultInjectingEndpoint.Call, FaultInjectingEndpoint.Step) -> Bool,
        sent: @escaping (Int) -> Bool
    ) async throws {
        let cut = Cut()
        try await PipelineFixture.make(wrapEndpoint: cut.endpoint(at: pick)).use { fixture in
            cut.attach(fixture.workspace.store)
            let (text, iccids) = Self.statusFile(fixture)
            try Self.drop("status-update_cut.csv", text, into: fixture.workspace)
            await Self.runOnce(fixture.workspace, clock: fixture.clock)
            #expect(cut.happened)
            let edits = fixture.simulator.counters.editsByDevice.count
            #expect(sent(edits), "\(edits) edits reached Control Center before the cut")
            try await Self.restartAndCheck(fixture, file: "status-update_cut", edited: iccids)
        }
    }

    @Test func afterMarkProcessingBeforeTheFirstEdit() async throws {
        try await Self.cutStatusFile(at: { call, step in call.kind == .editDevice && step == .beforeSending }) {
            $0 == 0
        }
    }

    @Test func afterAnEditBeforeItsOutcomeIsRecorded() async throws {
        try await Self.cutStatusFile(at: { call, step in
            call.kind == .editDevice && call.number == 3 && step == .afterAnswer
        }) { $0 >= 3 }
    }

    @Test func betweenTheTwoStepsOfASIMSwap() async throws {
        let cut = Cut()
        try await PipelineFixture.make(
            wrapEndpoint: cut.endpoint { call, step in call.kind == .editDevice && step == .afterAnswer }
        ).use { fixture in
            cut.attach(fixture.workspace.store)
            let old = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let new = fixture.iccid(PipelineFixture.inventory + 2)
            try Self.drop("change-iccid-imei_cut.csv", "iccid,new_iccid\n\(old),\(new)\n", into: fixture.workspace)
            await Self.runOnce(fixture.workspace, clock: fixture.clock)
            #expect(cut.happened)
            #expect(fixture.simulator.counters.editsByDevice == [new: 1], "only the activation went out")
            try await Self.restartAndCheck(fixture, file: "change-iccid-imei_cut", edited: [old, new])
            #expect(fixture.carrier(new)?.simStatus == .activated)
            #expect(fixture.carrier(old)?.simStatus == .deactivated)
        }
    }
}
