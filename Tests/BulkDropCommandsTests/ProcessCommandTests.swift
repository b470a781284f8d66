import Foundation
import Testing

/// `bulkdrop process` and `bulkdrop validate` run as a partner would: the built binary in an empty
/// working folder with the embedded defaults (tenant `demo` on the built-in simulator), on the
/// shipped sample files.
@Suite("bulkdrop process and validate")
struct ProcessCommandTests {
    /// The repository, found from this file's place in `Tests/BulkDropCommandsTests/`.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The status-update sample: 3 valid rows and 4 that are rejected.
    static let sample = repository.appendingPathComponent("schemas/examples/status-update.csv").path

    /// The six change-type slugs, as the file-name prefix takes them.
    static let slugs = [
        "customer-rate-plan", "carrier-rate-plan", "status-update", "edit-username", "change-iccid-imei", "archival",
    ]

    @Test func processWritesTheResultsAndExits1ForRejectedRows() async throws {
        let directory = try TemporaryDirectory()
        let result = try await BinaryRunner.run(["process", Self.sample, "--tenant", "demo"], in: directory.url)
        #expect(result.status == 1, "the sample has rejected rows: \(result.errors)")
        #expect(result.output.contains("results: outbox/demo/status-update.results.csv\n"))
        #expect(result.output.contains("errors:  outbox/demo/status-update.errors.csv\n"))
        #expect(result.output.contains("7 rows: 2 PROCESSED, 1 UNCHANGED, 4 REJECTED (COMPLETED_WITH_ERRORS)"))
        let lines = try Self.lines(directory, "outbox/demo/status-update.results.csv")
        #expect(lines.count == 8, "header + 7 rows")
        #expect(lines.first == "row,iccid,change_type,outcome,message,old_value,new_value,processed_at")
        #expect(
            Self.outcomes(lines) == ["PROCESSED", "PROCESSED", "UNCHANGED"] + Array(repeating: "REJECTED", count: 4))
        let summary = try Self.summary(directory)
        #expect(summary["tenant"] as? String == "demo")
        #expect(summary["bulkChangeID"] as? Int == 1)
        let mail = directory.url.appendingPathComponent("var/mail")
        let emails = try FileManager.default.contentsOfDirectory(atPath: mail.path).filter { $0.hasSuffix(".eml") }
        #expect(emails.count == 1, "one email a person can open, with no mail server configured")
        let email = try String(contentsOf: mail.appendingPathComponent(emails[0]), encoding: .utf8)
        #expect(email.contains("To: partner@demo.example\r\n"))
        #expect(
            email.contains("Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "the results workbook attached")
        #expect(FileManager.default.fileExists(atPath: directory.url.path + "/outbox/demo/status-update.results.xlsx"))
    }

    @Test func validateReportsTheSameRowsAndChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        let result = try await BinaryRunner.run(["validate", Self.sample, "--tenant", "demo"], in: directory.url)
        #expect(result.status == 1, "rejected rows: \(result.errors)")
        #expect(result.output.contains("7 rows: 4 REJECTED, 3 VALID (VALIDATED)"))
        let lines = try Self.lines(directory, "outbox/demo/status-update.validation.results.csv")
        #expect(lines.count == 8)
        #expect(Self.outcomes(lines) == Array(repeating: "VALID", count: 3) + Array(repeating: "REJECTED", count: 4))
        let state = directory.url.appendingPathComponent("var/simulator-devices.json")
        let before = try Self.canonicalJSON(state)

        let again = try await BinaryRunner.run(["validate", Self.sample, "--tenant", "demo"], in: directory.url)
        #expect(again.status == 1)
        #expect(try Self.canonicalJSON(state) == before, "the simulator's devices are as they were")

        let process = try await BinaryRunner.run(["process", Self.sample, "--tenant", "demo"], in: directory.url)
        #expect(process.status == 1)
        let processed = try Self.lines(directory, "outbox/demo/status-update.results.csv")
        #expect(Array(Self.outcomes(processed).prefix(2)) == ["PROCESSED", "PROCESSED"], "validate applied nothing")
        #expect(try Self.summary(directory)["bulkChangeID"] as? Int == 1, "validate recorded no bulk change")
        #expect(try Self.canonicalJSON(state) != before)
    }

    @Test func unknownTenantExits1AndNamesTheKnownOnes() async throws {
        let directory = try TemporaryDirectory()
        let result = try await BinaryRunner.run(["process", Self.sample, "--tenant", "nobody"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.errors == "bulkdrop: error: unknown tenant \"nobody\"; known tenants: demo\n")
        #expect(result.output.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("outbox/nobody").path))
    }

    @Test(arguments: ["process", "validate"])
    func fileWithoutAChangeTypePrefixExits2AndListsTheSlugs(command: String) async throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("fleet.csv")
        try Data(contentsOf: URL(fileURLWithPath: Self.sample)).write(to: file)
        let result = try await BinaryRunner.run([command, "fleet.csv", "--tenant", "demo"], in: directory.url)
        #expect(result.status == 2)
        #expect(result.errors.hasPrefix("bulkdrop: error: fleet.csv: the file name does not say which change it holds"))
        #expect(result.errors.contains(Self.slugs.joined(separator: ", ")), "\(result.errors)")
        #expect(result.output.isEmpty)
    }

    @Test(arguments: ["process", "validate"])
    func missingTenantExits2(command: String) async throws {
        let directory = try TemporaryDirectory()
        let result = try await BinaryRunner.run([command, Self.sample], in: directory.url)
        #expect(result.status == 2)
        #expect(
            result.errors
                == "bulkdrop: error: missing --tenant T for 'bulkdrop \(command)'; see 'bulkdrop \(command) --help'\n")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("outbox").path))
    }

    /// The lines of a CSV file the command wrote, without the byte order mark.
    static func lines(_ directory: TemporaryDirectory, _ path: String) throws -> [String] {
        var text = String(decoding: try Data(contentsOf: directory.url.appendingPathComponent(path)), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines = text.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// A JSON file written again with sorted keys, so two files compare by content, not key order.
    static func canonicalJSON(_ url: URL) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The outcome column of the data lines of a results file.
    static func outcomes(_ lines: [String]) -> [String] {
        lines.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[3]) }
    }

    /// The sample's summary JSON.
    static func summary(_ directory: TemporaryDirectory) throws -> [String: Any] {
        let url = directory.url.appendingPathComponent("outbox/demo/status-update.summary.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }
}
