import BulkChange
import Foundation
import Pipeline
import TestSupport
import Testing

/// A partner drops the workbook itself, written by openpyxl as Excel writes one; the answer is a
/// results workbook whose Errors sheet can be fixed and dropped again as it is.
@Suite("workbooks in and out")
struct WorkbookFileTests {
    @Test func aPartnersWorkbookIsAppliedAndAnsweredWithAWorkbook() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)[0]
            let others = (0..<PipelineFixture.inventory).filter { $0 != active }
            let path = fixture.folder + "/status-update_partner.xlsx"
            let script = """
                import sys, openpyxl
                book = openpyxl.Workbook()
                sheet = book.active
                sheet.title = "status-update"
                sheet.append(["ICCID", "Target Status", "Reason"])
                sheet.append([sys.argv[2], "DEACTIVATED", "storage"])
                sheet.append([int(sys.argv[3]), "ACTIVATED", "back in service"])
                sheet.append([sys.argv[4], "SOON", "hidden"])
                sheet.row_dimensions[4].hidden = True
                book.save(sys.argv[1])
                """
            _ = try await ExternalTool.python(
                script, [path, fixture.iccid(active), fixture.iccid(others[0]), fixture.iccid(others[1])],
                in: URL(fileURLWithPath: fixture.folder))
            let report = try await fixture.run(path)

            #expect(report.results.map(\.outcome) == [.processed, .rejected, .rejected])
            // openpyxl stores the ICCID as a double, as Excel would: 8.90126e+19.
            #expect(
                report.results[1].message
                    == "iccid \"8.90126e+19\": Excel stored the ICCID as a number, which cannot hold "
                    + "all of its digits; format the column as Text and type the ICCIDs again")
            #expect(report.summary.warnings.contains { $0.contains("hidden row 4 was read like the others") })

            // The answer, read by openpyxl: typed Results, and an Errors sheet of text.
            let check = """
                import json, sys, openpyxl
                book = openpyxl.load_workbook(sys.argv[1])
                results = [[type(c.value).__name__ for c in row] for row in book["Results"].iter_rows(min_row=2)]
                errors = [[c.value for c in row] for row in book["Errors"].iter_rows()]
                print(json.dumps({"sheets": book.sheetnames, "results": results, "errors": errors}))
                """
            let printed = try await ExternalTool.python(
                check, [report.paths.workbook], in: URL(fileURLWithPath: fixture.folder))
            let answer = try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any]
            #expect(answer?["sheets"] as? [String] == ["Results", "Errors", "Summary"])
            let types = answer?["results"] as? [[String]]
            #expect(types?[0] == ["int", "str", "str", "str", "str", "str", "str", "datetime"])
            let errors = answer?["errors"] as? [[String]]
            #expect(errors?.first == ["ICCID", "Target Status", "Reason", "error"])
            #expect(errors?[1].prefix(2) == ["8.90126e+19", "ACTIVATED"], "as the partner's workbook had it")
            #expect(errors?[2].prefix(2) == [fixture.iccid(others[1]), "SOON"], "the ICCID as text, all digits")

            // Dropped again as it is, the workbook is read from its Errors sheet.
            let again = fixture.folder + "/status-update_partner.results.xlsx"
            try FileManager.default.copyItem(atPath: report.paths.workbook, toPath: again)
            let input = try InputFile.read(path: again)
            #expect(input.rows.map { $0.fields["iccid"] } == ["8.90126e+19", fixture.iccid(others[1])])
            #expect(input.rows.map { $0.fields["target_status"] } == ["ACTIVATED", "SOON"])
            #expect(input.rows.allSatisfy { $0.problem == nil }, "text cells now: the fix is the partner's to make")
        }
    }
}

extension WorkbookFileTests {
    /// The header is the first row with a value; dates become dates, formulas and hidden columns
    /// are named in warnings, and a value right of the header rejects its row.
    @Test func aWorkbooksTypesAndOddsAreJudgedAsTheREADMESays() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let path = fixture.folder + "/status-update_odds.xlsx"
            let script = """
                import datetime, sys, openpyxl
                book = openpyxl.Workbook()
                sheet = book.active
                sheet.append([])
                sheet.append(["iccid", "target_status", "effective_date", "reason"])
                sheet.append([sys.argv[2], "DEACTIVATED", datetime.date(2027, 1, 4), "winter"])
                sheet.append([sys.argv[3], "DEACTIVATED", None, "=CONCAT(\\"a\\",\\"b\\")"])
                sheet.append([sys.argv[4], "DEACTIVATED", None, "spill", "stray"])
                sheet.append([sys.argv[2], 0.1, 365.0, 12345678])
                sheet.column_dimensions["D"].hidden = True
                book.save(sys.argv[1])
                """
            _ = try await ExternalTool.python(
                script,
                [path, fixture.iccid(active[0]), fixture.iccid(active[1]), fixture.iccid(active[2])],
                in: URL(fileURLWithPath: fixture.folder))
            let input = try InputFile.read(path: path)
            #expect(input.rows.map(\.line) == [3, 4, 5, 6], "sheet row numbers; the empty first row is no header")
            #expect(input.rows[3].values == [fixture.iccid(active[0]), "0.1", "365", "12345678"], "numbers as typed")
            #expect(input.rows[0].fields["effective_date"] == "2027-01-04")
            #expect(input.rows[1].problem == nil)
            #expect(
                input.rows[2].problem?.description
                    == "cell E5 has a value right of the last header column; give the column a header or clear the cell"
            )
            let warnings = input.warnings.map(\.description)
            #expect(
                warnings.contains(
                    "status-update_odds.xlsx: warning: sheet \"Sheet\": cell D4 holds a formula; the values Excel "
                        + "last calculated were read, so check them, or paste the values only"), "\(warnings)")
            #expect(
                warnings.contains(
                    "status-update_odds.xlsx: warning: sheet \"Sheet\": hidden column D (reason) was read like the others"
                ),
                "\(warnings)")
        }
    }

    @Test func aWorkbookPastALimitIsRefusedWithTheLimitNamed() async throws {
        try await PipelineFixture.make().use { fixture in
            let path = fixture.folder + "/status-update_deep.xlsx"
            let script = """
                import sys, zipfile
                deep = "<a>" * 100 + "</a>" * 100
                with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as book:
                    book.writestr("[Content_Types].xml", "<Types/>")
                    book.writestr("_rels/.rels", '<Relationships><Relationship Id="rId1" Type="x/officeDocument" Target="xl/workbook.xml"/></Relationships>')
                    book.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
                    book.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
                    book.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + deep + "</sheetData></worksheet>")
                """
            _ = try await ExternalTool.python(script, [path], in: URL(fileURLWithPath: fixture.folder))
            let error = #expect(throws: InputFileError.self) { try InputFile.read(path: path) }
            let text = error.map { "\($0)" } ?? ""
            #expect(text.hasPrefix("status-update_deep.xlsx: xl/worksheets/sheet1.xml:"), "\(text)")
            #expect(text.contains("maxDepth") || text.contains("64"), "\(text)")
        }
    }
}
