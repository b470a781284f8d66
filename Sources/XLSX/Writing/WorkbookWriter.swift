import Foundation
import Zip

/// Writes an `.xlsx` workbook sheet by sheet and row by row, in flat memory: each sheet's XML is
/// deflated into the archive as its rows come, and only the parts that list the sheets are
/// written at the end. Cells are typed (text stays text, numbers are numbers, dates are dates),
/// every sheet's header row is bold and frozen, and a sheet can carry an autofilter.
///
/// ```swift
/// let workbook = try WorkbookWriter(path: "results.xlsx", modified: Date())
/// try workbook.beginSheet("Results", columns: [SheetColumn("row", width: 8)], autoFilter: true)
/// try workbook.append([.number("1")])
/// try workbook.endSheet()
/// try workbook.finish()
/// ```
public final class WorkbookWriter {
    private let archive: ZipWriter
    private let modified: Date
    private var sheets: [WorkbookParts.Sheet] = []
    private var open: (name: String, columns: Int, autoFilter: Bool)?
    private var rowNumber = 0
    private var buffer: [UInt8] = []
    private var rows = RowEncoder()
    private static let flushThreshold = 64 * 1024

    /// Creates (or truncates) the workbook file at `path`.
    ///
    /// - Throws: `XLSXError.zip` when the file cannot be created.
    public init(path: String, modified: Date) throws(XLSXError) {
        do { archive = try ZipWriter(path: path) } catch { throw .zip(error) }
        self.modified = modified
    }

    /// Starts a sheet named `name` whose first row is the bold, frozen header of `columns`.
    ///
    /// - Throws: `XLSXError.zip` when the archive cannot be written.
    public func beginSheet(_ name: String, columns: [SheetColumn], autoFilter: Bool = false) throws(XLSXError) {
        precondition(open == nil, "end the sheet before beginning another")
        do {
            try archive.beginEntry(WorkbookParts.sheetPart(sheets.count + 1), modified: modified)
        } catch {
            throw .zip(error)
        }
        open = (name, columns.count, autoFilter)
        rowNumber = 0
        let widths = columns.enumerated().map { index, column in
            "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(column.width)\" customWidth=\"1\"/>"
        }
        let opening: [String] = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<worksheet xmlns=\"\(WorkbookParts.mainNamespace)\" xmlns:r=\"\(WorkbookParts.relationshipNamespace)\">",
            "<sheetViews><sheetView workbookViewId=\"0\">",
            "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>",
            "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>",
            widths.isEmpty ? "" : "<cols>" + widths.joined() + "</cols>",
            "<sheetData>",
        ]
        append(opening.joined())
        try append(columns.map { .text($0.header, .header) })
    }

    /// Appends a row to the open sheet.
    ///
    /// - Throws: `XLSXError.zip` when the archive cannot be written.
    public func append(_ cells: [OutputCell]) throws(XLSXError) {
        precondition(open != nil, "begin a sheet before appending rows")
        rowNumber += 1
        rows.append(cells, row: rowNumber, to: &buffer)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Closes the open sheet, with its autofilter over every row written.
    ///
    /// - Throws: `XLSXError.zip` when the archive cannot be written.
    public func endSheet() throws(XLSXError) {
        guard let sheet = open else { preconditionFailure("no sheet is open") }
        let lastColumn = CellReference.columnName(max(sheet.columns, 1) - 1)
        let range = sheet.autoFilter ? "A1:\(lastColumn)\(max(rowNumber, 1))" : nil
        append("</sheetData>" + (range.map { "<autoFilter ref=\"\($0)\"/>" } ?? "") + "</worksheet>")
        try flush()
        do { try archive.endEntry() } catch { throw .zip(error) }
        sheets.append(WorkbookParts.Sheet(name: sheet.name, filterRange: range))
        open = nil
    }

    /// Finishes this workbook, whose one sheet was written beside another workbook, and says
    /// where that sheet is so the other can add it (`appendSheet(_:)`).
    ///
    /// - Throws: `XLSXError.zip` when the archive cannot be written.
    public func finishAsSheet(of path: String) throws(XLSXError) -> WrittenSheet {
        precondition(sheets.count == 1, "a workbook written as a sheet has exactly one sheet")
        try finish()
        return WrittenSheet(name: sheets[0].name, filterRange: sheets[0].filterRange, path: path)
    }

    /// Adds the sheet of another finished workbook as the next sheet, its deflated XML copied as
    /// it is: two sheets can be written side by side and joined in the time a file copy takes.
    ///
    /// - Throws: `XLSXError.zip` when either archive cannot be read or written.
    public func appendSheet(_ sheet: WrittenSheet) throws(XLSXError) {
        precondition(open == nil, "end the sheet before adding another")
        let other: ZipReader
        do { other = try ZipReader(path: sheet.path) } catch { throw .zip(error) }
        guard let entry = other.entry(named: WorkbookParts.sheetPart(1)) else {
            throw .missingPart(WorkbookParts.sheetPart(1))
        }
        do {
            try archive.copyEntry(entry, of: other, as: WorkbookParts.sheetPart(sheets.count + 1), modified: modified)
        } catch {
            throw .zip(error)
        }
        sheets.append(WorkbookParts.Sheet(name: sheet.name, filterRange: sheet.filterRange))
    }

    /// Writes the parts that list the sheets and closes the file; the workbook is complete only now.
    ///
    /// - Throws: `XLSXError.zip` when the archive cannot be written.
    public func finish() throws(XLSXError) {
        precondition(open == nil, "end the sheet before finishing the workbook")
        let parts = [
            ("[Content_Types].xml", WorkbookParts.contentTypes(sheetCount: sheets.count)),
            ("_rels/.rels", WorkbookParts.packageRelationships),
            ("xl/workbook.xml", WorkbookParts.workbook(sheets)),
            ("xl/_rels/workbook.xml.rels", WorkbookParts.workbookRelationships(sheetCount: sheets.count)),
            ("xl/styles.xml", WorkbookParts.styles),
        ]
        do {
            for (name, text) in parts {
                try archive.beginEntry(name, modified: modified)
                try archive.write(Array(text.utf8))
                try archive.endEntry()
            }
            try archive.finish()
        } catch {
            throw .zip(error)
        }
    }

    private func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    private func flush() throws(XLSXError) {
        do { try archive.write(buffer) } catch { throw .zip(error) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A sheet finished in a workbook of its own, for another workbook to add (`WorkbookWriter.appendSheet(_:)`).
public struct WrittenSheet: Equatable, Sendable {
    public let name: String
    let filterRange: String?
    /// The workbook file that holds it.
    public let path: String
}
