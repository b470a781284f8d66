import BuiltInSimulator
import Foundation
import Pipeline
import Testing

/// The outbox files of the shipped samples, byte for byte: `validate` and `process` of every file
/// in `schemas/examples/` on the embedded defaults with a fixed clock give exactly the files kept
/// in `Tests/PipelineTests/Golden/`. A change to how files are read, judged or written that moves
/// one byte of them fails here. `BULKDROP_UPDATE_GOLDEN=1 swift test --filter SampleOutputTests`
/// writes the files again, for a change meant to alter them.
@Suite("sample outputs, byte for byte")
struct SampleOutputTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test func samplesGiveTheKeptFilesByteForByte() async throws {
        let (folder, opened) = try await ExamplesTests.embedded()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runner = BulkChangeRunner(workspace: opened.workspace)
        for (file, _) in ExamplesTests.expected {
            let path = ExamplesTests.examples.appendingPathComponent(file).path
            // Named as dropped, so the summaries do not carry the checkout's folder.
            _ = try await runner.run(path: path, tenant: "demo", options: RunOptions(dryRun: true, sourceName: file))
            _ = try await runner.run(path: path, tenant: "demo", options: RunOptions(sourceName: file))
        }
        try await opened.close()
        let outbox = folder + "/outbox/demo"
        // The CSV and JSON files are kept byte for byte; the workbooks are checked by openpyxl
        // (WorkbookFileTests), since their zip entries carry the time they were written.
        let made = try FileManager.default.contentsOfDirectory(atPath: outbox)
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".xlsx") }.sorted()
        if ProcessInfo.processInfo.environment["BULKDROP_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: Self.golden)
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            for name in made {
                try FileManager.default.copyItem(
                    atPath: outbox + "/" + name, toPath: Self.golden.appendingPathComponent(name).path)
            }
            return
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: Self.golden.path).sorted()
        #expect(made == kept, "the same files")
        for name in made where kept.contains(name) {
            let now = try Data(contentsOf: URL(fileURLWithPath: outbox + "/" + name))
            let before = try Data(contentsOf: Self.golden.appendingPathComponent(name))
            #expect(now == before, "\(name) changed")
        }
    }
}
