import Foundation
import TestSupport
import Testing
import XLSX

/// Workbooks BulkDrop writes, read by readers we did not write: openpyxl checks every cell's
/// type, the frozen header, the filter and the fills; LibreOffice opens one and saves it as CSV.
@Suite("WorkbookWriter")
struct WorkbookWriterTests {
    static let iccid = "89012600000000000003"
    static let processedAt = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC

    /// A small results-like workbook: Results (typed, filled, filtered), Errors, Summary.
    static func writeSample(to path: String) throws {
        let workbook = try WorkbookWriter(path: path, modified: processedAt)
        try workbook.beginSheet(
            "Results",
            columns: [
                SheetColumn("row", width: 8), SheetColumn("iccid", width: 24), SheetColumn("outcome", width: 20),
                SheetColumn("message", width: 60), SheetColumn("processed_at", width: 20),
            ],
            autoFilter: true)
        try workbook.append([
            .number("1"), .text(iccid), .text("PROCESSED", .good), .text("=1+1 & <b>"), .dateTime(processedAt),
        ])
        try workbook.append([
            .number("2"), .text("8901260000000000001"), .text("REJECTED", .bad), .text(" padded "), .empty,
        ])
        try workbook.endSheet()
        try workbook.beginSheet("Errors", columns: [SheetColumn("iccid", width: 24), SheetColumn("error", width: 80)])
        try workbook.append([.text("8901260000000000001"), .text("iccid: bad\u{01}check digit")])
        try workbook.endSheet()
        try workbook.beginSheet("Summary", columns: [SheetColumn("item", width: 20), SheetColumn("value", width: 40)])
        try workbook.append([.text("rows"), .number("2")])
        try workbook.endSheet()
        try workbook.finish()
    }

    @Test func openpyxlReadsTypesFrozenHeaderFilterAndFills() async throws {
        let folder = try TestFolder()
        let path = folder.path("sample.results.xlsx")
        try Self.writeSample(to: path)
        let script = """
            import json, sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1])
            out = {"sheets": book.sheetnames}
            results = book["Results"]
            out["freeze"] = results.freeze_panes
            out["filter"] = results.auto_filter.ref
            out["cells"] = [[type(c.value).__name__ + ":" + str(c.value) for c in row] for row in results.iter_rows()]
            out["fills"] = [results["C2"].fill.fgColor.rgb, results["C3"].fill.fgColor.rgb]
            out["bold"] = results["A1"].font.b
            out["width"] = results.column_dimensions["B"].width
            out["errors"] = [[c.value for c in row] for row in book["Errors"].iter_rows()]
            print(json.dumps(out))
            """
        let printed = try await ExternalTool.python(script, [path], in: folder.url)
        let result = try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any]
        #expect(result?["sheets"] as? [String] == ["Results", "Errors", "Summary"])
        #expect(result?["freeze"] as? String == "A2")
        #expect(result?["filter"] as? String == "A1:E3")
        #expect(result?["bold"] as? Bool == true)
        #expect(result?["width"] as? Double == 24)
        #expect(result?["fills"] as? [String] == ["FFC6EFCE", "FFFFC7CE"])
        let cells = result?["cells"] as? [[String]]
        #expect(
            cells?[1] == [
                "int:1", "str:\(Self.iccid)", "str:PROCESSED", "str:=1+1 & <b>", "datetime:2026-11-18 11:06:40",
            ])
        #expect(cells?[2] == ["int:2", "str:8901260000000000001", "str:REJECTED", "str: padded ", "NoneType:None"])
        // A control character is written as Excel writes it, `_x0001_`; Excel reads it back as the
        // character, openpyxl leaves inline text as it is.
        #expect((result?["errors"] as? [[String]])?[1] == ["8901260000000000001", "iccid: bad_x0001_check digit"])
    }

    @Test func ourReaderReadsWhatWeWrite() throws {
        let folder = try TestFolder()
        let path = folder.path("sample.results.xlsx")
        try Self.writeSample(to: path)
        let sheet = try WorksheetReader(path: path)
        #expect(sheet.sheetNames == ["Results", "Errors", "Summary"])
        _ = try sheet.next()
        let first = try #require(try sheet.next())
        #expect(
            first.cells.map(\.value) == [
                .number("1"), .text(Self.iccid), .text("PROCESSED"), .text("=1+1 & <b>"), .date("2026-11-18T11:06:40Z"),
            ])
        let errors = try WorksheetReader(path: path, preferring: ["status-update", "errors"])
        #expect(errors.sheetName == "Errors")
        _ = try errors.next()
        #expect(try errors.next()?.cells.last?.value == .text("iccid: bad\u{01}check digit"))
    }

    @Test(.enabled(if: ExternalTool.hasLibreOffice)) func libreOfficeOpensItAndKeepsTheICCIDs() async throws {
        let folder = try TestFolder()
        let path = folder.url.appendingPathComponent("sample.xlsx")
        try Self.writeSample(to: path.path)
        let csv = try await ExternalTool.libreOfficeConvert(path, to: "csv", in: folder.url)
        let text = try String(contentsOf: csv, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first == "row,iccid,outcome,message,processed_at")
        #expect(lines.dropFirst().first?.hasPrefix("1,\(Self.iccid),PROCESSED,") == true)
        #expect(lines.dropFirst(2).first?.hasPrefix("2,8901260000000000001,REJECTED,") == true)
    }
}
