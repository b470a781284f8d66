import XLSX

/// The rows of an `.xlsx` worksheet as input rows: the first non-empty row is the header, mapped
/// onto the change type's fields like a CSV header; each later row's cells become its values by
/// column. Excel's types are judged here: a number in an ICCID or IMEI column rejects the row
/// (a double cannot hold those digits), date cells become ISO dates, formulas give their last
/// result, and hidden rows and columns are read and named in a warning.
final class WorkbookRows {
    let columns: [String]
    let map: ColumnMap
    private let sheet: WorksheetReader
    /// The sheet row number of the header.
    let headerLine: Int
    /// The identifier field (ICCID or IMEI) of each column that holds one.
    private let identifierColumns: [Int: FieldSpec]
    private var formulaCells = NamedPlaces()
    private var hiddenRows = NamedPlaces()

    /// Opens the sheet named after `changeType`, else one named `Errors` (BulkDrop's own results
    /// workbook dropped again), else the first, and reads its header.
    ///
    /// - Throws: `InputFileError` when the workbook cannot be read or the header is not usable.
    init(path: String, fileName: String, changeType: ChangeType) throws(InputFileError) {
        do {
            sheet = try WorksheetReader(path: path, preferring: [changeType.slug, "Errors"])
        } catch {
            throw .workbook(fileName: fileName, error)
        }
        var header: SheetRow?
        do {
            while header == nil, let row = try sheet.next() {
                if row.cells.contains(where: { !Self.text($0.value).isEmpty }) { header = row }
            }
        } catch {
            throw .workbook(fileName: fileName, error)
        }
        guard let header else { throw .emptyFile(fileName: fileName) }
        var cells = Array(repeating: "", count: (header.cells.map(\.column).max() ?? -1) + 1)
        for cell in header.cells { cells[cell.column] = Self.text(cell.value) }
        columns = cells
        headerLine = header.number
        map = try ColumnMap(header: cells, changeType: changeType, fileName: fileName, line: header.number)
        let specs = Dictionary(changeType.fields.map { ($0.name, $0) }) { first, _ in first }
        identifierColumns = Dictionary(
            map.fieldColumns.compactMap { column in
                specs[column.name].flatMap { $0.kind == .iccid || $0.kind == .imei ? (column.index, $0) : nil }
            }
        ) { first, _ in first }
    }

    /// The next row with a value in it, as values by header column, with the problem that
    /// rejects it whatever it says (a numeric identifier, a value right of the header); `nil`
    /// after the last.
    ///
    /// - Throws: `XLSXError` when the sheet cannot be read further.
    func next() throws(XLSXError) -> (line: Int, values: [String], problem: RowRejection?)? {
        while let row = try sheet.next() {
            var values = Array(repeating: "", count: columns.count)
            var problem: RowRejection?
            for cell in row.cells {
                let text = Self.text(cell.value)
                if cell.isFormula { formulaCells.note(CellReference(column: cell.column, row: row.number).description) }
                guard cell.column < columns.count else {
                    if problem == nil, !text.isEmpty {
                        problem = RowRejection(
                            message:
                                "cell \(CellReference(column: cell.column, row: row.number)) has a value right of the "
                                + "last header column", hint: "give the column a header or clear the cell")
                    }
                    continue
                }
                values[cell.column] = text
                if problem == nil, case .number = cell.value, let spec = identifierColumns[cell.column] {
                    let name = spec.kind == .iccid ? "ICCID" : "IMEI"
                    problem = RowRejection(
                        column: spec.name, value: text,
                        message: "Excel stored the \(name) as a number, which cannot hold all of its digits",
                        hint: "format the column as Text and type the \(name)s again")
                }
            }
            guard values.contains(where: { InputRow.clean($0) != nil }) else { continue }
            if row.isHidden { hiddenRows.note(String(row.number)) }
            return (row.number, values, problem)
        }
        return nil
    }

    /// What reading the sheet noticed: formulas, hidden rows and hidden columns. Complete once
    /// `next()` has returned `nil`.
    func warnings(fileName: String) -> [InputWarning] {
        var warnings: [InputWarning] = []
        if !formulaCells.isEmpty {
            warnings.append(.formulaCells(fileName: fileName, sheet: sheet.sheetName, cells: formulaCells))
        }
        if !hiddenRows.isEmpty {
            warnings.append(.hiddenRows(fileName: fileName, sheet: sheet.sheetName, rows: hiddenRows))
        }
        let hiddenColumns = sheet.hiddenColumns.filter { $0 < columns.count && !columns[$0].isEmpty }
        if !hiddenColumns.isEmpty {
            var named = NamedPlaces()
            for column in hiddenColumns { named.note("\(CellReference.columnName(column)) (\(columns[column]))") }
            warnings.append(.hiddenColumns(fileName: fileName, sheet: sheet.sheetName, columns: named))
        }
        return warnings
    }

    /// A cell's text as the input's value: dates as ISO 8601, TRUE/FALSE as true/false, numbers
    /// as `plainNumber` writes them.
    private static func text(_ value: SheetCell.Value) -> String {
        switch value {
        case .text(let text), .date(let text), .error(let text): text
        case .number(let text): plainNumber(text)
        case .boolean(let value): value ? "true" : "false"
        }
    }

    /// A stored number as a person typed it: whole numbers without a decimal part (`365`, not
    /// `365.0`), others in their shortest form (`0.1`, where Excel may store
    /// `0.10000000000000001`); a number too large to be exact keeps its exponent (`8.90126e+19`).
    static func plainNumber(_ text: String) -> String {
        guard let value = Double(text), value.isFinite else { return text }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

/// Places a warning names (cells, rows, columns): the first `InputWarning.namedLimit` of them
/// and how many there are, so a warning stays short whatever the sheet holds.
public struct NamedPlaces: Equatable, Sendable {
    /// The first places noted, in order.
    public private(set) var first: [String] = []
    /// How many were noted in all.
    public private(set) var count = 0

    public init() {}

    /// Counts one more place; its name is made only while names are still kept.
    mutating func note(_ place: @autoclosure () -> String) {
        if first.count < InputWarning.namedLimit { first.append(place()) }
        count += 1
    }

    var isEmpty: Bool { count == 0 }

    /// `B2, B3 and 40 more`.
    var listed: String {
        first.joined(separator: ", ") + (count > first.count ? " and \(Wording.number(count - first.count)) more" : "")
    }
}
