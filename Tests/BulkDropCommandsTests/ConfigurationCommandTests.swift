import Foundation
import Testing

/// A configuration that cannot be used stops every command before it does anything: exit status
/// 2 and one `bulkdrop: error:` line per problem on standard error.
@Suite("bulkdrop with a bad configuration")
struct ConfigurationCommandTests {
    /// Writes `json` as `bad.json` in a fresh folder.
    static func config(_ json: String) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("bad.json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return (directory, path)
    }

    @Test(arguments: [["run", "--once"], ["status"], ["process", ProcessCommandTests.sample, "--tenant", "demo"]])
    func typosAndBadValuesExit2WithEveryProblem(command: [String]) throws {
        let (directory, path) = try Self.config(
            #"{"fanOutWidht": 8, "serviceProviders": [{"name": "POD19", "baseURL": "builtin-simulator", "#
                + #""username": "demo", "callsPerSecond": 0}]}"#)
        let result = try BinaryRunner.run(command + ["--config", path], in: directory.url)
        #expect(result.status == 2)
        #expect(
            result.errors == """
                bulkdrop: error: configuration \(path): unknown key "fanOutWidht"; did you mean "fanOutWidth"?
                bulkdrop: error: configuration \(path): serviceProviders[0].callsPerSecond is 0; allowed: more than 0

                """)
        #expect(result.output.isEmpty)
        let created = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(created == ["bad.json"], "nothing was set up: no var/, inbox/ or outbox/")
    }
}
