import Zip

/// Reads one worksheet of an `.xlsx` workbook row by row, in flat memory: the archive's central
/// directory, the shared strings and the date styles are read first, then the sheet's XML is
/// inflated and parsed as rows are asked for. Nothing is written to disk.
///
/// ```swift
/// let sheet = try WorksheetReader(path: "status-update.xlsx", preferring: ["status-update", "Errors"])
/// while let row = try sheet.next() { … }
/// ```
public final class WorksheetReader {
    /// The name of the sheet being read.
    public let sheetName: String
    /// The names of the workbook's sheets, in order.
    public let sheetNames: [String]
    private var rows: SheetRowReader

    /// Opens the workbook at `path` and the first sheet whose name is one of `preferredNames`
    /// (compared without case, first name first), or else its first sheet.
    ///
    /// - Throws: `XLSXError` when the file is no workbook, breaks a limit, or lacks a part.
    public convenience init(path: String, preferring preferredNames: [String] = [], limits: XLSXLimits = XLSXLimits())
        throws(XLSXError)
    {
        let archive: ZipReader
        do { archive = try ZipReader(path: path, limits: limits.zip) } catch { throw .zip(error) }
        try self.init(archive: archive, preferring: preferredNames, limits: limits)
    }

    /// The same, for a workbook held in memory (tests, fuzzing).
    public convenience init(bytes: [UInt8], preferring preferredNames: [String] = [], limits: XLSXLimits = XLSXLimits())
        throws(XLSXError)
    {
        let archive: ZipReader
        do { archive = try ZipReader(bytes: bytes, limits: limits.zip) } catch { throw .zip(error) }
        try self.init(archive: archive, preferring: preferredNames, limits: limits)
    }

    private init(archive: ZipReader, preferring preferredNames: [String], limits: XLSXLimits) throws(XLSXError) {
        let directory = try WorkbookDirectory(archive, limits: limits)
        let sheet = directory.sheet(preferring: preferredNames)
        sheetName = sheet.name
        sheetNames = directory.sheets.map(\.name)
        rows = try SheetRowReader(
            archive, part: sheet.part,
            sharedStrings: try SharedStrings.read(archive, part: directory.sharedStringsPart, limits: limits),
            styles: try CellStyles(archive, part: directory.stylesPart, limits: limits),
            uses1904Dates: directory.uses1904Dates, limits: limits)
    }

    /// The next row of the sheet (rows Excel stores, empty or not); `nil` after the last.
    ///
    /// - Throws: `XLSXError` when the sheet's XML is broken or breaks a limit.
    public func next() throws(XLSXError) -> SheetRow? {
        try rows.next()
    }

    /// The 0-based columns the sheet hides; complete once the first row has been read.
    public var hiddenColumns: [Int] { rows.hiddenColumns }
}
