import Foundation
import Testing

/// `bulkdrop parse` on hand-made files, one per reading rule, run through the real binary.
@Suite("bulkdrop parse")
struct ParseCommandTests {
    static let directory = BinaryRunner.fixtures.appendingPathComponent("parse")

    static let fixtureNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }()

    @Test func everyRuleHasAFixture() {
        #expect(Self.fixtureNames.count >= 13)
    }

    @Test(arguments: fixtureNames)
    func readsFixture(_ name: String) async throws {
        let result = try await BinaryRunner.run(["parse", "\(name).csv"], in: Self.directory)
        let expectedJSON = Self.directory.appendingPathComponent("\(name).json")
        let expectedErrors = Self.directory.appendingPathComponent("\(name).stderr")
        if FileManager.default.fileExists(atPath: expectedJSON.path) {
            #expect(result.status == 0)
            let expected = try JSONDecoder().decode([[String]].self, from: Data(contentsOf: expectedJSON))
            let actual = try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
            #expect(actual == expected)
        } else {
            #expect(result.status == 2)
        }
        let errors = (try? String(contentsOf: expectedErrors, encoding: .utf8)) ?? ""
        #expect(result.errors == errors)
    }

    @Test func emptyFileIsAnEmptyArray() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("empty.csv")
        try Data().write(to: file)
        let result = try await BinaryRunner.run(["parse", file.path])
        #expect(result.status == 0)
        #expect(result.output == "[]\n")
    }

    @Test func delimiterOptionOverridesDetection() async throws {
        let result = try await BinaryRunner.run(
            ["parse", "semicolon-european.csv", "--delimiter", ","], in: Self.directory)
        #expect(result.status == 0)
        let records = try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
        #expect(records == [["iccid;data_allocation_mb"], ["89012600000000000017;1", "5"]])
        let tab = try await BinaryRunner.run(["parse", "tab-separated.csv", "--delimiter=tab"], in: Self.directory)
        #expect(tab.output.contains("[\"iccid\",\"status\"]"))
    }

    @Test func controlCharactersAreEscapedInJSON() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("odd.csv")
        try Data("\"a\u{1}b\\c\tq\"\"\"\n".utf8).write(to: file)
        let result = try await BinaryRunner.run(["parse", file.path])
        #expect(result.output == "[\n[\"a\\u0001b\\\\c\\tq\\\"\"]\n]\n")
    }

    @Test func missingFileSaysSoAndExits2() async throws {
        let result = try await BinaryRunner.run(["parse", "/nonexistent/fleet.csv"])
        #expect(result.status == 2)
        #expect(result.errors == "bulkdrop: error: cannot read /nonexistent/fleet.csv: No such file or directory\n")
    }
}

/// A folder under the system's temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
