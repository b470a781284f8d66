import Foundation
import Testing

/// `bulkdrop show` and `bulkdrop status --json`, for scripts and for one bulk change, after the
/// status-update sample went through `process` on the embedded defaults.
@Suite("bulkdrop show and status --json")
struct ShowCommandTests {
    /// A working folder where the sample (2 PROCESSED, 1 UNCHANGED, 4 REJECTED) was processed.
    static func processedSample() async throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let result = try await BinaryRunner.run(
            ["process", ProcessCommandTests.sample, "--tenant", "demo"], in: directory.url)
        #expect(result.status == 1, "the sample has rejected rows: \(result.errors)")
        return directory
    }

    @Test func showListsEveryRowOrTheOutcomesAsked() async throws {
        let directory = try await Self.processedSample()
        let all = try await BinaryRunner.run(["show", "1"], in: directory.url)
        #expect(all.status == 0, "\(all.errors)")
        let lines = all.output.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "bulk change 1: demo status-update \(ProcessCommandTests.sample) COMPLETED_WITH_ERRORS "
                + "(2 PROCESSED, 4 REJECTED, 1 UNCHANGED)")
        #expect(lines.count == 1 + 7)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("row ") })
        let rejected = try await BinaryRunner.run(["show", "1", "--outcome", "rejected"], in: directory.url)
        #expect(rejected.output.split(separator: "\n").dropFirst().count == 4)
        #expect(rejected.output.split(separator: "\n").dropFirst().allSatisfy { $0.contains(" REJECTED: ") })
    }

    @Test func showAsJSONIsOneObjectWithTheRows() async throws {
        let directory = try await Self.processedSample()
        let result = try await BinaryRunner.run(["show", "1", "--json", "--outcome", "PROCESSED"], in: directory.url)
        #expect(result.status == 0, "\(result.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let change = try #require(object["bulkChange"] as? [String: Any])
        #expect(change["status"] as? String == "COMPLETED_WITH_ERRORS")
        #expect(change["tenant"] as? String == "demo")
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0["outcome"] as? String == "PROCESSED" && ($0["iccid"] as? String)?.count == 20 })
    }

    @Test func showRefusesAnUnknownIdOrOutcome() async throws {
        let directory = try await Self.processedSample()
        let unknown = try await BinaryRunner.run(["show", "99"], in: directory.url)
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("no bulk change 99"))
        let outcome = try await BinaryRunner.run(["show", "1", "--outcome", "DONE"], in: directory.url)
        #expect(outcome.status == 2)
        #expect(outcome.errors.contains("--outcome"))
    }

    @Test func statusAsJSONHasTheFilesNotificationsAndWorkers() async throws {
        let directory = try await Self.processedSample()
        let result = try await BinaryRunner.run(["status", "--json"], in: directory.url)
        #expect(result.status == 0, "\(result.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect((object["running"] as? [Any])?.isEmpty == true)
        #expect(object["notificationsWaiting"] as? Int == 0)
        #expect((object["workers"] as? [Any]) != nil)
        #expect((object["deadNotifications"] as? [Any])?.isEmpty == true)
    }
}
