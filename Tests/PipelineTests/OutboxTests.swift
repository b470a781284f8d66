import BulkChange
import Foundation
import JasperSim
import Pipeline
import Testing

/// The three outbox files of a run: the results file (Excel-safe CSV, one row per input row), the
/// errors file (the input's own columns plus `error`, ready to fix and drop again) and the JSON
/// summary, each written whole and kept in step with the latest run.
@Suite("outbox files")
struct OutboxTests {
    /// Input layouts that must all give the same three data rows; `$0`…`$2` stand for ICCIDs.
    static let layouts: [(name: String, template: String)] = [
        ("LF, no blank lines", "iccid,target_status\n$0,DEACTIVATED\n$1,ACTIVATED\n$2,SUSPENDED\n"),
        (
            "CRLF with blank lines everywhere",
            "iccid,target_status\r\n\r\n$0,DEACTIVATED\r\n\r\n\r\n$1,ACTIVATED\r\n$2,SUSPENDED\r\n\r\n"
        ),
        (
            "lines of empty cells, no final line break",
            "iccid,target_status\n,\n$0,DEACTIVATED\n , \n$1,ACTIVATED\n$2,SUSPENDED"
        ),
    ]

    @Test(arguments: layouts)
    func resultsFileHasOneExcelSafeRowPerInputRow(layout: (name: String, template: String)) async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)[0]
            let others = (0..<PipelineFixture.inventory).filter { $0 != active }
            let iccids = [fixture.iccid(active), fixture.iccid(others[0]), fixture.iccid(others[1])]
            var text = layout.template
            for (index, iccid) in iccids.enumerated() { text = text.replacingOccurrences(of: "$\(index)", with: iccid) }
            let path = try fixture.write("status-update_layout.csv", text)
            let report = try await fixture.run(path)

            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: report.paths.results)))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a UTF-8 byte order mark first")
            #expect(Self.hasOnlyCRLFLineEnds(bytes), "\(layout.name)")
            let lines = try fixture.outboxLines(report.paths.results)
            #expect(lines.first == "row,iccid,change_type,outcome,message,old_value,new_value,processed_at")
            #expect(lines.count == 1 + 3, "one line per data row; blank lines are not rows")
            let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(rows.map { String($0[0]) } == ["1", "2", "3"], "input order")
            #expect(rows.map { String($0[1]) } == iccids)
            #expect(rows.allSatisfy { $0[2] == "status-update" })
            #expect(rows.map { String($0[3]) } == report.results.map(\.outcomeLabel))
            #expect(report.results[2].outcome == .rejected)
        }
    }

    @Test func cellsThatAFormulaCouldStartWithAreShownAsText() async throws {
        try await PipelineFixture.make(verificationChecks: 1).use { fixture in
            let path = try fixture.write(
                "edit-username_formulas.csv",
                """
                iccid,username
                \(fixture.iccid(0)),"=HYPERLINK(""#sheet"",""open"")"
                =1+2,truck-1
                \(fixture.iccid(1)),-truck

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.rejected, .rejected, .processed])
            #expect(
                try await fixture.stored(fixture.iccid(1))?.username == "-truck", "the store keeps the value as given")

            let results = try fixture.outboxLines(report.paths.results)
            #expect(results[2].hasPrefix("2,'=1+2,edit-username,REJECTED,"))
            #expect(
                results[3].hasPrefix("3,\(fixture.iccid(1)),edit-username,PROCESSED,username changed,unit-1,'-truck,"))
            let errors = try fixture.outboxLines(report.paths.errors)
            #expect(errors.count == 3)
            #expect(errors[1].hasPrefix("\(fixture.iccid(0)),\"'=HYPERLINK(\"\"#sheet\"\",\"\"open\"\")\",\"username "))
            #expect(errors[2].hasPrefix("'=1+2,truck-1,\"iccid "))
        }
    }

    @Test func errorsFileHoldsRowsToFixAndCanBeDroppedAgain() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let idle = try #require((0..<PipelineFixture.inventory).first { !active.contains($0) })
            try #require(active.count >= 3)
            let (good, refused, fixable) = (
                fixture.iccid(active[0]), fixture.iccid(active[1]), fixture.iccid(active[2])
            )
            let (same, sameStatus) = (fixture.iccid(idle), fixture.devices[idle].device.status ?? "")
            fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [refused: DeviceFault(.refuse)]))
            let path = try fixture.write(
                "status-update_mixed.csv",
                """
                ICCID,Target Status,Reason
                \(good),DEACTIVATED,end of pilot
                \(refused),DEACTIVATED,"moved, stored"
                \(same),\(sameStatus),
                \(fixable),SUSPENDED,typo

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .failed, .unchanged, .rejected])

            let errors = try fixture.outboxLines(report.paths.errors)
            #expect(
                try fixture.outboxText(report.paths.errors).hasPrefix("\u{FEFF}ICCID,Target Status,Reason,error\r\n"))
            #expect(errors.count == 1 + 2, "only FAILED and REJECTED rows")
            #expect(errors[1].hasPrefix("\(refused),DEACTIVATED,\"moved, stored\","))
            #expect(errors[2].hasPrefix("\(fixable),SUSPENDED,typo,\"target_status \"\"SUSPENDED\"\""))

            fixture.simulator.setFaults(SimulatorFaults())
            let fixed = try fixture.outboxText(report.paths.errors).replacingOccurrences(
                of: ",SUSPENDED,", with: ",DEACTIVATED,")
            let again = try fixture.write("status-update_fix.csv", fixed)
            let input = try InputFile.read(path: again)
            #expect(input.warnings.isEmpty, "the error column is known: \(input.warnings)")
            #expect(input.columns == ["ICCID", "Target Status", "Reason", "error"])
            #expect(input.rows.map { $0.fields["iccid"] } == [refused, fixable])
            #expect(input.rows[0].fields["reason"] == "moved, stored")
            let second = try await fixture.run(again)
            #expect(second.results.map(\.outcome) == [.processed, .processed])
            #expect(fixture.carrier(refused)?.status == "DEACTIVATED")
            #expect(fixture.carrier(fixable)?.status == "DEACTIVATED")
        }
    }

    @Test func errorsFileThatFailsAgainHasOneFreshErrorColumn() async throws {
        try await PipelineFixture.make().use { fixture in
            let iccid = fixture.iccid(0)
            let path = try fixture.write("status-update_first.csv", "ICCID,Target Status\n\(iccid),SUSPENDED\n")
            let first = try await fixture.run(path)
            let edited = try fixture.outboxText(first.paths.errors).replacingOccurrences(
                of: ",SUSPENDED,", with: ",PURGED,")
            let second = try await fixture.run(try fixture.write("status-update_second.csv", edited))
            let lines = try fixture.outboxLines(second.paths.errors)
            #expect(lines.first == "ICCID,Target Status,error", "the old error column is not repeated")
            #expect(lines.count == 2)
            #expect(
                lines.last?.hasPrefix("\(iccid),PURGED,\"target_status \"\"PURGED\"\": PURGED is not a status") == true)
            #expect(lines.last?.contains("SUSPENDED") == false, "the stale message is gone")
        }
    }

    @Test func summaryHasIdentityCountsAndTimes() async throws {
        try await PipelineFixture.make(verificationChecks: 1).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let path = try fixture.write(
                "status-update_summary.csv",
                "iccid,target_status\n\(fixture.iccid(active[0])),DEACTIVATED\n\(fixture.iccid(active[1])),ACTIVATED\n"
                    + "\(fixture.iccid(8)),DEACTIVATED\n")
            let report = try await fixture.run(path)
            let data = try Data(contentsOf: URL(fileURLWithPath: report.paths.summary))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect((json["bulkChangeID"] as? NSNumber)?.int64Value == report.summary.bulkChangeID)
            #expect(report.summary.bulkChangeID > 0)
            #expect(json["tenant"] as? String == "acme")
            #expect(json["serviceProvider"] as? String == "POD19")
            #expect(json["changeType"] as? String == "status-update")
            #expect(json["rows"] as? Int == 3)
            let counts = try #require(json["counts"] as? [String: Int])
            #expect(
                counts == [
                    "PROCESSED": 1, "UNCHANGED": 1, "REJECTED": 1, "FAILED": 0, "SCHEDULED": 0, "NEEDS_CHECK": 0,
                    "AWAITING_CONFIRMATION": 0,
                ])
            let started = try #require((json["startedAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            let finished = try #require((json["finishedAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(started <= finished)
            let duration = try #require(json["durationSeconds"] as? Double)
            #expect(duration >= 0 && abs(duration - finished.timeIntervalSince(started)) < 1)

            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let decoded = try decoder.decode(RunSummary.self, from: data)
            #expect(decoded.counts == report.summary.counts)
            #expect(decoded.status == "COMPLETED_WITH_ERRORS")
        }
    }

    @Test func runLeavesNoTemporaryFilesAndNeverOverwritesEarlierResults() async throws {
        try await PipelineFixture.make().use { fixture in
            let iccid = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let path = try fixture.write(
                "status-update_again.csv", "iccid,target_status\n\(iccid),DEACTIVATED\n\(fixture.iccid(8)),ACTIVATED\n")
            let first = try await fixture.run(path)
            #expect(first.results.map(\.outcome) == [.processed, .rejected])
            let names = [
                "status-update_again.errors.csv", "status-update_again.results.csv", "status-update_again.results.xlsx",
                "status-update_again.summary.json",
            ]
            #expect(try fixture.outboxFiles() == names, "the four files and nothing half-written")

            _ = try fixture.write("status-update_again.csv", "iccid,target_status\n\(iccid),ACTIVATED\n")
            let second = try await fixture.run(path)
            #expect(second.results.map(\.outcome) == [.processed])
            let id = second.summary.bulkChangeID
            #expect(second.paths.results.hasSuffix("/status-update_again.\(id).results.csv"))
            #expect(!FileManager.default.fileExists(atPath: second.paths.errors), "no rows to fix: no errors file")
            let both =
                names + [
                    "status-update_again.\(id).results.csv", "status-update_again.\(id).results.xlsx",
                    "status-update_again.\(id).summary.json",
                ]
            #expect(try fixture.outboxFiles() == both.sorted(), "the first night's files are kept")
            #expect(try fixture.outboxLines(first.paths.results).count == 3)
            #expect(try fixture.outboxLines(second.paths.results).count == 2)
        }
    }

    /// Whether every line break is CRLF: no bare LF and no bare CR.
    static func hasOnlyCRLFLineEnds(_ bytes: [UInt8]) -> Bool {
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A, index == 0 || bytes[index - 1] != 0x0D { return false }
            if byte == 0x0D, index + 1 >= bytes.count || bytes[index + 1] != 0x0A { return false }
        }
        return bytes.last == 0x0A
    }
}
