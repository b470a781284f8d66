import Foundation
import Testing

@testable import BulkDropCommands

@Suite("bulkdrop command line")
struct CommandLineTests {
    @Test func helpListsEveryCommand() async throws {
        let result = try await BinaryRunner.run(["--help"])
        #expect(result.status == 0)
        for command in ["run", "parse", "bench csv"] { #expect(result.output.contains("  \(command) ")) }
        let parseHelp = try await BinaryRunner.run(["parse", "--help"])
        #expect(parseHelp.status == 0)
        #expect(parseHelp.output.hasPrefix("usage: bulkdrop parse FILE [--delimiter C]\n"))
    }

    @Test(arguments: [
        (["frobnicate"], "bulkdrop: error: unknown command 'frobnicate'; see 'bulkdrop --help'\n"),
        (["bench", "json", "x"], "bulkdrop: error: unknown command 'bench json'; see 'bulkdrop --help'\n"),
        ([], "bulkdrop: error: no command given; see 'bulkdrop --help'\n"),
        (
            ["parse", "a.csv", "--verbose"],
            "bulkdrop: error: unknown option '--verbose' for 'bulkdrop parse'; see 'bulkdrop parse --help'\n"
        ),
        (["parse"], "bulkdrop: error: missing FILE for 'bulkdrop parse'; see 'bulkdrop parse --help'\n"),
        (
            ["parse", "a.csv", "b.csv"],
            "bulkdrop: error: unexpected argument 'b.csv' for 'bulkdrop parse'; see 'bulkdrop parse --help'\n"
        ),
        (
            ["parse", "a.csv", "--delimiter"],
            "bulkdrop: error: option '--delimiter' needs a value; see 'bulkdrop parse --help'\n"
        ),
        (
            ["parse", "a.csv", "--delimiter", ";;"],
            "bulkdrop: error: invalid value ';;' for '--delimiter': expected one ASCII character other than a quote, "
                + "or 'tab'; see 'bulkdrop parse --help'\n"
        ),
    ])
    func mistakesExit2WithAOneLineHint(arguments: [String], message: String) async throws {
        let result = try await BinaryRunner.run(arguments)
        #expect(result.status == 2)
        #expect(result.errors == message)
        #expect(result.output.isEmpty)
    }

    @Test func argumentsAcceptEqualsFormAndDoubleDash() async throws {
        let spec = ParseCommand.spec
        let parsed = try ParsedArguments(["--delimiter=;", "--", "-odd-name.csv"], spec: spec)
        #expect(parsed.options == ["--delimiter": ";"])
        #expect(parsed.positionals == ["-odd-name.csv"])
        #expect(try ParsedArguments(["x.csv", "-h"], spec: spec).wantsHelp)
    }

    @Test func runPreparesTheDemoWorkspaceOnFirstStart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await BinaryRunner.run(["run", "--once"], in: folder)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("event=started"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("inbox/demo").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("var/bulkdrop.sqlite").path))
        #expect(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("var/simulator-devices.json").path))
    }

    @Test func benchPrintsItsFigures() async throws {
        let result = try await BinaryRunner.run(
            ["bench", "csv", "crlf-excel-export.csv"],
            in: BinaryRunner.fixtures.appendingPathComponent("parse"))
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("bulkdrop-csv: bytes=124 records=3 fields=9 seconds="))
        for figure in ["MB/s=", "records/s=", "peak_rss_MiB="] { #expect(result.output.contains(figure)) }
    }
}
