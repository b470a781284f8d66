import BulkChange
import Foundation
import Pipeline
import Testing

/// `validate` and `process` stream a file chunk by chunk: rules across rows hold across chunks,
/// every row is in the files, and a dry run's report keeps only the first rows in memory.
@Suite("validate and process stream")
struct StreamingDryRunTests {
    @Test func rowsBeyondOneChunkAndBeyondTheKeptOnesAreAllJudgedAndWritten() async throws {
        try await PipelineFixture.make().use { fixture in
            let valid = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let count = RunReport.rowsKept + 500
            var text = "iccid,target_status\n\(valid),DEACTIVATED\n"
            for index in 2...count {
                // The last row repeats the first ICCID, several chunks later.
                let iccid = index == count ? valid : String(format: "8901269%012d", index)
                text += "\(iccid),DEACTIVATED\n"
            }
            let path = try fixture.write("status-update_big.csv", text)
            let report = try await BulkChangeRunner(workspace: fixture.workspace).run(
                path: path, tenant: "acme", dryRun: true)
            #expect(report.summary.rows == count)
            #expect(report.results.count == RunReport.rowsKept, "only the first rows are kept in memory")
            #expect(report.results.first?.outcomeLabel == "VALID")
            let lines = try String(contentsOfFile: report.paths.results, encoding: .utf8)
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == count + 1, "every row is in the results file")
            #expect(lines.last?.contains("already appears in row 1") == true, "\(lines.last ?? "")")
            let errors = try String(contentsOfFile: report.paths.errors, encoding: .utf8)
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(errors.count == count, "every row but the first needs fixing")
        }
    }

    @Test func processRecordsEveryChunkAndKeepsTheRulesAcrossThem() async throws {
        try await PipelineFixture.make().use { fixture in
            let valid = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let count = 5_200  // more than one chunk of details
            var text = "iccid,target_status\n\(valid),DEACTIVATED\n"
            for index in 2...count {
                text += "\(index == count ? valid : String(format: "8901269%012d", index)),DEACTIVATED\n"
            }
            let report = try await fixture.run(try fixture.write("status-update_many.csv", text))
            #expect(report.summary.rows == count)
            #expect(report.summary.count(.processed) == 1 && report.summary.count(.rejected) == count - 1)
            let details = try await fixture.workspace.store.read { connection in
                try connection.details(bulkChangeID: report.summary.bulkChangeID, withRequests: false)
            }
            #expect(details.last?.message?.contains("already appears in row 1") == true)
        }
    }

    @Test func aFileBrokenAfterItsFirstChunkIsAnInputErrorAndRecordsNothing() async throws {
        try await PipelineFixture.make().use { fixture in
            var text = "iccid,target_status\n"
            for index in 1...5_100 { text += String(format: "8901269%012d", index) + ",DEACTIVATED\n" }
            text += "\"unterminated,DEACTIVATED\n"
            let path = try fixture.write("status-update_broken.csv", text)
            let error = await #expect(throws: PipelineError.self) {
                try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
            }
            guard case .input? = error else {
                Issue.record("expected an input error, got \(String(describing: error))")
                return
            }
            let changes = try await fixture.workspace.store.read { try $0.recentBulkChanges(limit: 5) }
            #expect(changes.isEmpty, "the transaction kept nothing")
        }
    }
}
