import Foundation
import TestSupport
import Testing
import XLSX

/// Workbooks written by openpyxl (inline text, styles, dates, numbers, hidden rows and columns),
/// and the same saved again by LibreOffice, which like Excel keeps text in a shared strings table
/// and formulas with their results, read with `WorksheetReader`.
@Suite("WorksheetReader")
struct WorksheetReaderTests {
    static let partnerWorkbook = """
        import datetime, sys, openpyxl
        book = openpyxl.Workbook()
        first = book.active
        first.title = "Notes"
        first["A1"] = "not the rows"
        sheet = book.create_sheet("status-update")
        sheet.append(["ICCID", "Target Status", "Effective Date", "Reason"])
        sheet.append(["89012600000000000003", "DEACTIVATED", datetime.date(2026, 12, 1), "storage"])
        sheet.append([89012600000000000011, "ACTIVATED", datetime.datetime(2026, 12, 1, 8, 30), "=1+1"])
        sheet.append(["89012600000000000029", True, None, "hidden row"])
        sheet.row_dimensions[4].hidden = True
        sheet.column_dimensions["D"].hidden = True
        sheet["B5"] = "=A2&\\"x\\""
        book.save(sys.argv[1])
        """

    @Test func readsTheNamedSheetWithTypedCells() async throws {
        let folder = try TestFolder()
        let path = folder.path("status-update.xlsx")
        _ = try await ExternalTool.python(Self.partnerWorkbook, [path], in: folder.url)
        let sheet = try WorksheetReader(path: path, preferring: ["status-update", "Errors"])
        #expect(sheet.sheetName == "status-update")
        #expect(sheet.sheetNames == ["Notes", "status-update"])
        var rows: [SheetRow] = []
        while let row = try sheet.next() { rows.append(row) }
        #expect(rows.map(\.number) == [1, 2, 3, 4, 5])
        #expect(
            rows[0].cells.map(\.value) == [
                .text("ICCID"), .text("Target Status"), .text("Effective Date"), .text("Reason"),
            ])
        #expect(
            rows[1].cells.map(\.value) == [
                .text("89012600000000000003"), .text("DEACTIVATED"), .date("2026-12-01"), .text("storage"),
            ])
        // openpyxl stores the int as a double, as Excel does: the digits are gone.
        #expect(rows[2].cells[0].value == .number("8.90126e+19"))
        #expect(rows[2].cells[2].value == .date("2026-12-01T08:30:00Z"))
        #expect(rows[2].cells[3].isFormula, "openpyxl writes a text starting with = as a formula")
        #expect(rows[3].isHidden && !rows[2].isHidden)
        #expect(rows[3].cells[1].value == .boolean(true))
        #expect(sheet.hiddenColumns == [3])
    }

    @Test func theFirstSheetWhenNoneIsNamedForTheChange() async throws {
        let folder = try TestFolder()
        let path = folder.path("status-update.xlsx")
        _ = try await ExternalTool.python(Self.partnerWorkbook, [path], in: folder.url)
        let sheet = try WorksheetReader(path: path, preferring: ["archival"])
        #expect(sheet.sheetName == "Notes")
        #expect(try sheet.next()?.cells.map(\.value) == [.text("not the rows")])
        #expect(try sheet.next() == nil)
    }

    @Test(.enabled(if: ExternalTool.hasLibreOffice)) func aFormulaGivesTheValueExcelLastCalculated() async throws {
        let folder = try TestFolder()
        let source = folder.url.appendingPathComponent("formulas.xlsx")
        let script = """
            import sys, openpyxl
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.append(["iccid", "username"])
            sheet.append(["89012600000000000003", '="meter-"&(40+2)'])
            book.save(sys.argv[1])
            """
        _ = try await ExternalTool.python(script, [source.path], in: folder.url)
        // LibreOffice calculates the formula and saves its result beside it, as Excel does.
        let converted = folder.url.appendingPathComponent("converted")
        try FileManager.default.createDirectory(at: converted, withIntermediateDirectories: true)
        let saved = try await ExternalTool.libreOfficeConvert(source, to: "xlsx", in: converted)
        let sheet = try WorksheetReader(path: saved.path)
        _ = try sheet.next()
        let row = try #require(try sheet.next())
        #expect(row.cells[1] == SheetCell(column: 1, value: .text("meter-42"), isFormula: true))
    }

    @Test func aFileThatIsNoWorkbookSaysSo() throws {
        let folder = try TestFolder()
        let path = folder.path("status-update.xlsx")
        try Data("iccid,target_status\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try WorksheetReader(path: path)
        } throws: { error in
            guard let error = error as? XLSXError, case .zip = error else { return false }
            return true
        }
    }
}

extension WorksheetReaderTests {
    /// openpyxl writes text inline; LibreOffice, like Excel, into the shared strings table.
    static func savedByLibreOffice(in folder: TestFolder) async throws -> String {
        let source = folder.url.appendingPathComponent("status-update.xlsx")
        _ = try await ExternalTool.python(Self.partnerWorkbook, [source.path], in: folder.url)
        let converted = folder.url.appendingPathComponent("converted")
        try FileManager.default.createDirectory(at: converted, withIntermediateDirectories: true)
        return try await ExternalTool.libreOfficeConvert(source, to: "xlsx", in: converted).path
    }

    @Test(.enabled(if: ExternalTool.hasLibreOffice)) func sharedStringsReadAsTheInlineTextDid() async throws {
        let folder = try TestFolder()
        let saved = try await Self.savedByLibreOffice(in: folder)
        let sheet = try WorksheetReader(path: saved, preferring: ["status-update"])
        var rows: [SheetRow] = []
        while let row = try sheet.next() { rows.append(row) }
        #expect(
            rows[0].cells.map(\.value) == [
                .text("ICCID"), .text("Target Status"), .text("Effective Date"), .text("Reason"),
            ])
        #expect(rows[1].cells.first?.value == .text("89012600000000000003"))
        #expect(rows[1].cells[2].value == .date("2026-12-01"))
    }

    @Test(.enabled(if: ExternalTool.hasLibreOffice)) func sharedStringsPastTheirLimitsAreRefused() async throws {
        let folder = try TestFolder()
        let saved = try await Self.savedByLibreOffice(in: folder)
        #expect(throws: XLSXError.tooManySharedStrings(limit: 5)) {
            try WorksheetReader(path: saved, limits: XLSXLimits(maxSharedStrings: 5))
        }
        #expect(throws: XLSXError.sharedStringsTooLarge(limit: 40)) {
            try WorksheetReader(path: saved, limits: XLSXLimits(maxSharedStringBytes: 40))
        }
        #expect(
            XLSXError.tooManySharedStrings(limit: 5).description
                == "the workbook has more than 5 distinct texts; split the rows into smaller workbooks")
    }
}
