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
    func typosAndBadValuesExit2WithEveryProblem(command: [String]) async throws {
        let (directory, path) = try Self.config(
            #"{"fanOutWidht": 8, "serviceProviders": [{"name": "POD19", "baseURL": "builtin-simulator", "#
                + #""username": "demo", "callsPerSecond": 0}]}"#)
        let result = try await BinaryRunner.run(command + ["--config", path], in: directory.url)
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

    /// `run`, `process` and `schedule` send mail, so a password that is not at hand stops them; `status`
    /// sends none and works in a shell without it.
    @Test func commandsThatSendMailNeedTheSMTPPasswordAtStart() async throws {
        let variable = "BULKDROP_TEST_UNSET_\(UUID().uuidString.prefix(8))"
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("cfg.json").path
        try #"{"notifications": {"smtpURL": "smtp://127.0.0.1:1", "passwordEnvironment": "\#(variable)"}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let expected =
            "bulkdrop: error: configuration \(path): the SMTP password variable \(variable) "
            + "(notifications.passwordEnvironment) is not set or empty; export it before starting bulkdrop\n"
        for command in [["run", "--once"], ["process", ProcessCommandTests.sample, "--tenant", "demo"], ["schedule"]] {
            let result = try await BinaryRunner.run(command + ["--config", path], in: directory.url)
            #expect(result.status == 2, "\(command)")
            #expect(result.errors == expected, "\(command)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("outbox").path))
        let status = try await BinaryRunner.run(["status", "--config", path], in: directory.url)
        #expect(status.status == 0, "\(status.errors)")
    }

    /// A tenant name becomes a folder under the inbox, the outbox and the state directory, so one
    /// that could reach outside them is refused before anything is created.
    @Test func tenantNamesThatAreNotSafeFolderNamesExit2() async throws {
        let (directory, path) = try Self.config(#"{"tenants": ["acme", "../escape", ".hidden", ""]}"#)
        let result = try await BinaryRunner.run(["run", "--once", "--config", path], in: directory.url)
        #expect(result.status == 2)
        let expected =
            "a tenant name of letters, digits, '.', '_' and '-' that does not start with '.', such as \"acme\""
        #expect(
            result.errors == """
                bulkdrop: error: configuration \(path): tenants[1] is "../escape"; expected \(expected)
                bulkdrop: error: configuration \(path): tenants[2] is ".hidden"; expected \(expected)
                bulkdrop: error: configuration \(path): tenants[3] is ""; expected \(expected)

                """)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["bad.json"])
    }
}
