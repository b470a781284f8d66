import BulkChange
import Foundation
import Pipeline
import Store
import Testing

/// `bulkdrop validate` as the runner does it: every row judged against the inventory, no call to
/// Control Center, nothing written to the store, and the outcome VALID for a row that would be sent.
@Suite("dry run")
struct DryRunTests {
    /// The sample files shipped in `schemas/examples/`.
    static let examples: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas/examples").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".json") }.sorted().map { folder + "/" + $0 }
    }()

    @Test func everyChangeTypeHasASample() {
        let types = Set(Self.examples.compactMap { ChangeType(fileName: URL(fileURLWithPath: $0).lastPathComponent) })
        #expect(types == Set(ChangeType.allCases))
    }

    @Test(arguments: examples)
    func sampleIsJudgedWithoutCallsOrRecords(path: String) async throws {
        try await PipelineFixture.make().use { fixture in
            let before = fixture.simulator.allDevices
            let report = try await BulkChangeRunner(workspace: fixture.workspace).run(
                path: path, tenant: "acme", dryRun: true)
            let input = try InputFile.read(path: path)
            #expect(report.results.map(\.row) == input.rows.map(\.number))
            #expect(report.results.allSatisfy { $0.outcomeLabel == "VALID" || $0.outcome == .rejected })
            #expect(report.results.allSatisfy { $0.processedAt == nil && $0.oldValue == nil && $0.newValue == nil })
            #expect(report.summary.status == "VALIDATED")
            #expect(report.summary.bulkChangeID == 0)
            #expect(fixture.simulator.counters.calls.isEmpty, "no call to Control Center")
            #expect(fixture.simulator.allDevices == before)
            #expect(try await Self.bulkChange(1, in: fixture) == nil, "no bulk change recorded")
        }
    }

    @Test func validRowsSayValidAndNothingChanges() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let (target, refused) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            let path = try fixture.write(
                "status-update_check.csv",
                """
                iccid,target_status
                \(target),DEACTIVATED
                \(refused),SUSPENDED
                \(fixture.iccid(8)),DEACTIVATED
                \(target),INVENTORY

                """)
            let runner = BulkChangeRunner(workspace: fixture.workspace)
            let report = try await runner.run(path: path, tenant: "acme", dryRun: true)
            #expect(report.results.map(\.outcomeLabel) == ["VALID", "REJECTED", "REJECTED", "REJECTED"])
            #expect(report.results[0].message == "valid; not sent (dry run)")
            #expect(report.results.map(\.iccid) == [target, refused, fixture.iccid(8), target])
            #expect(report.summary.counts["VALID"] == 1)
            #expect(report.summary.count(.rejected) == 3)
            #expect(report.summary.count(.processed) == 0)
            let lines = try fixture.outboxLines(report.paths.results)
            #expect(
                lines.dropFirst().map { $0.split(separator: ",")[3] } == ["VALID", "REJECTED", "REJECTED", "REJECTED"])
            #expect(try fixture.outboxLines(report.paths.errors).count == 1 + 3)

            #expect(fixture.simulator.counters.calls.isEmpty)
            #expect(fixture.carrier(target)?.status == "ACTIVATED")
            #expect(try await fixture.stored(target)?.status == "ACTIVATED")
            #expect(try await Self.bulkChange(1, in: fixture) == nil)

            let real = try await fixture.run(path)
            #expect(real.summary.bulkChangeID == 1, "the dry run used no bulk change id")
            #expect(real.results.map(\.outcome) == [.processed, .rejected, .rejected, .rejected])
        }
    }

    /// The stored bulk change with that id, if any.
    static func bulkChange(_ id: Int64, in fixture: PipelineFixture) async throws -> BulkChangeRecord? {
        try await fixture.workspace.store.read { connection in try connection.bulkChange(id: id) }
    }
}
