import BuiltInSimulator
import BulkChange
import Foundation
import JasperSim
import Pipeline
import Testing

/// The sample files in `schemas/examples/` on the embedded defaults (tenant demo, the built-in
/// simulator, the demo inventory), in the order the README runs them: each gives the outcomes its
/// rows were written to show.
@Suite("schemas/examples on the embedded defaults")
struct ExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schemas/examples")

    static let expected: [(file: String, outcomes: [Outcome])] = [
        ("customer-rate-plan.csv", [.processed, .scheduled, .rejected, .rejected]),
        ("carrier-rate-plan.csv", [.processed, .scheduled, .failed, .unchanged, .rejected]),
        (
            "status-update.csv",
            [.processed, .processed, .unchanged, .rejected, .rejected, .rejected, .rejected]
        ),
        ("edit-username.csv", [.processed, .unchanged, .rejected, .rejected]),
        ("change-iccid-imei.csv", [.processed, .processed, .rejected, .rejected]),
        ("archival.csv", [.failed, .processed, .processed, .processed]),
        ("status-update_winter.json", [.processed, .processed, .rejected]),
    ]

    /// The embedded defaults in a fresh folder (removed by the caller), on a clock stopped at
    /// 2026-11-27 09:00 UTC, so the files they write are the same every time.
    static func embedded() async throws -> (folder: String, opened: EmbeddedWorkspace) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-\(UUID().uuidString)").path
        let clock = ManualClock(try Date("2026-11-27T09:00:00Z", strategy: .iso8601))
        let configuration = PipelineConfiguration(
            stateDirectory: folder + "/var", inbox: folder + "/inbox", outbox: folder + "/outbox")
        return (folder, try await EmbeddedWorkspace.open(configuration, now: { clock.now }))
    }

    @Test func everySampleGivesItsIntendedOutcomes() async throws {
        let (folder, opened) = try await Self.embedded()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let workspace = opened.workspace
        let runner = BulkChangeRunner(workspace: workspace)
        for (file, outcomes) in Self.expected {
            let report = try await runner.run(path: Self.examples.appendingPathComponent(file).path, tenant: "demo")
            #expect(report.results.map(\.outcome) == outcomes, "\(file): \(report.results.map(\.message))")
            #expect(FileManager.default.fileExists(atPath: report.paths.results))
        }
        let samples = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path).filter {
            !$0.hasPrefix(".")
        }
        #expect(Set(samples) == Set(Self.expected.map(\.file)), "every sample is checked here")
        try await opened.close()
    }
}
