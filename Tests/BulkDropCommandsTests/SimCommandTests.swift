import Foundation
import JasperSim
import Testing

@testable import BulkDropCommands

/// `bulkdrop sim`'s fault flags and `--faults FILE` become the simulator's configuration.
@Suite("bulkdrop sim options")
struct SimCommandTests {
    static func configuration(_ arguments: [String]) throws -> SimulatorConfiguration {
        try SimCommand.configuration(try ParsedArguments(arguments, spec: SimCommand.spec))
    }

    @Test func withoutFlagsNothingFailsAndDelaysDefaultToAMinute() throws {
        let configuration = try Self.configuration([])
        #expect(
            configuration.faults == SimulatorFaults(slowDelayMs: 60_000, lateAnswerMs: 60_000, applyLaterMs: 60_000))
        #expect(configuration.asyncEditDelay == nil)
        #expect(configuration.seed == 1)
    }

    @Test func editFaultFlags() throws {
        let configuration = try Self.configuration([
            "--late-answer-rate", "0.5", "--late-answer-ms", "1200", "--apply-later-rate", "1", "--apply-later-ms",
            "300", "--ignore-rate", "0.2", "--async-edits-ms", "50", "--seed", "9",
        ])
        #expect(
            configuration.faults
                == SimulatorFaults(
                    slowDelayMs: 60_000, ignoreEditRate: 0.2, lateAnswerRate: 0.5, lateAnswerMs: 1_200,
                    applyLaterRate: 1, applyLaterMs: 300))
        #expect(configuration.asyncEditDelay == .milliseconds(50))
        #expect(configuration.seed == 9)
        #expect(throws: UsageError.self) { try Self.configuration(["--late-answer-rate", "2"]) }
    }

    @Test func faultsFileWithTheFlagsOnTop() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("faults.json").path
        let json = """
            {"lateAnswerRate": 0.1, "lateAnswerMs": 700, "throttleNextCalls": 3,
             "deviceFaults": {"89012600000000000003": {"kind": "applyLater", "delayMs": 5000}}}
            """
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let configuration = try Self.configuration(["--faults", file, "--late-answer-ms", "900"])
        #expect(
            configuration.faults
                == SimulatorFaults(
                    lateAnswerRate: 0.1, lateAnswerMs: 900, throttleNextCalls: 3,
                    deviceFaults: ["89012600000000000003": DeviceFault(.applyLater, delayMs: 5_000)]))

        let misspelt = folder.appendingPathComponent("misspelt.json").path
        try #"{"lateAnswerMS": 10}"#.write(toFile: misspelt, atomically: true, encoding: .utf8)
        for (path, reason) in [
            (misspelt, #"unknown fault key "lateAnswerMS""#), (folder.appendingPathComponent("none.json").path, "read"),
        ] {
            do {
                _ = try Self.configuration(["--faults", path])
                Issue.record("expected \(path) to be refused")
            } catch let error as UsageError {
                #expect("\(error)".hasPrefix("invalid value '\(path)' for '--faults'"))
                #expect("\(error)".contains(reason), "\(error)")
            }
        }
    }
}
