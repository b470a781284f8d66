import XMLStream
import Zip

/// The rows of one worksheet, parsed as they are asked for: only the current row is in memory.
/// Cells are typed from their `t` and `s` attributes (text, number, date, boolean, error);
/// hidden columns (`<cols>`) are known once the first row has been read.
struct SheetRowReader {
    private var reader: XMLPartReader
    private let sharedStrings: [String]
    private let styles: CellStyles
    private let uses1904Dates: Bool
    /// 0-based columns the sheet hides.
    private(set) var hiddenColumns: [Int] = []
    private var nextRowNumber = 1
    private var done = false

    init(
        _ archive: ZipReader, part: String, sharedStrings: [String], styles: CellStyles, uses1904Dates: Bool,
        limits: XLSXLimits
    ) throws(XLSXError) {
        reader = try XMLPartReader(archive, part: part, limits: limits)
        self.sharedStrings = sharedStrings
        self.styles = styles
        self.uses1904Dates = uses1904Dates
    }

    /// The next row that has a `<row>` element, empty or not; `nil` after the last.
    ///
    /// - Throws: `XLSXError` for broken XML, a bad cell reference or a missing shared string.
    mutating func next() throws(XLSXError) -> SheetRow? {
        guard !done else { return nil }
        var row: SheetRow?
        var cell: PendingCell?
        var inValue = false
        var inInlineText = false
        var phoneticDepth = 0
        while let event = try reader.next() {
            switch event {
            case .startElement("col", _, let attributes):
                noteHiddenColumns(attributes)
            case .startElement("row", _, let attributes):
                let number =
                    try attributes.value(of: "r").map { text throws(XLSXError) in
                        guard let number = Int(text), number > 0 else { throw .badReference(text) }
                        return number
                    } ?? nextRowNumber
                nextRowNumber = number + 1
                let hidden = attributes.value(of: "hidden")
                row = SheetRow(number: number, cells: [], isHidden: hidden == "1" || hidden == "true")
            case .startElement("c", _, let attributes):
                cell = try PendingCell(attributes, row: row?.number ?? nextRowNumber, after: row?.cells.last?.column)
            case .startElement("v", _, _):
                inValue = true
            case .startElement("f", _, _):
                cell?.isFormula = true
            case .startElement("rPh", _, _):
                phoneticDepth += 1
            case .endElement("rPh", _):
                phoneticDepth -= 1
            case .startElement("t", _, _):
                inInlineText = cell != nil && phoneticDepth == 0
            case .text(let text):
                if inValue { cell?.raw += text } else if inInlineText { cell?.inline += text }
            case .endElement("v", _):
                inValue = false
            case .endElement("t", _):
                inInlineText = false
            case .endElement("c", _):
                if let pending = cell, let value = try value(of: pending) {
                    row?.cells.append(
                        SheetCell(column: pending.reference.column, value: value, isFormula: pending.isFormula))
                }
                cell = nil
            case .endElement("row", _):
                if let row { return row }
            case .endElement("sheetData", _):
                done = true
                return nil
            default:
                continue
            }
        }
        done = true
        return nil
    }

    private mutating func noteHiddenColumns(_ attributes: [XMLAttribute]) {
        let hidden = attributes.value(of: "hidden")
        guard hidden == "1" || hidden == "true", let first = attributes.value(of: "min").flatMap(Int.init),
            let last = attributes.value(of: "max").flatMap(Int.init), first >= 1, last >= first
        else { return }
        // A hidden range past the last column Excel has (XFD) would be no column at all.
        hiddenColumns += (first...min(last, 16_384)).map { $0 - 1 }
    }

    /// What a finished cell holds; `nil` for a cell with no value (formatting only). A formula
    /// saved without its result (as openpyxl saves them) holds empty text.
    private func value(of cell: PendingCell) throws(XLSXError) -> SheetCell.Value? {
        if cell.isFormula, cell.raw.isEmpty, cell.inline.isEmpty { return .text("") }
        switch cell.type {
        case "s":
            guard let index = Int(cell.raw.trimmingWhitespace), sharedStrings.indices.contains(index) else {
                throw .sharedStringIndex(cell: cell.reference.description, index: cell.raw)
            }
            return .text(sharedStrings[index])
        case "inlineStr":
            return .text(ExcelText.decoded(cell.inline))
        case "str":
            return .text(ExcelText.decoded(cell.raw))
        case "b":
            return cell.raw.isEmpty ? nil : .boolean(cell.raw.trimmingWhitespace == "1" || cell.raw == "true")
        case "e":
            return .error(cell.raw)
        case "d":
            return cell.raw.isEmpty ? nil : .date(cell.raw)
        default:
            let number = cell.raw.trimmingWhitespace
            guard !number.isEmpty else { return nil }
            if styles.isDate(style: cell.style), let date = ExcelDate.text(serial: number, uses1904Dates: uses1904Dates)
            {
                return .date(date)
            }
            return .number(number)
        }
    }
}

/// A `<c>` element being read.
private struct PendingCell {
    var reference: CellReference
    var type: String
    var style: Int
    var raw = ""
    var inline = ""
    var isFormula = false

    /// The cell from its attributes; a cell without `r` follows the one before it in `row`.
    init(_ attributes: [XMLAttribute], row: Int, after previous: Int?) throws(XLSXError) {
        if let text = attributes.value(of: "r") {
            guard let reference = CellReference(text) else { throw .badReference(text) }
            self.reference = reference
        } else {
            reference = CellReference(column: (previous ?? -1) + 1, row: row)
        }
        type = attributes.value(of: "t") ?? "n"
        style = attributes.value(of: "s").flatMap(Int.init) ?? 0
    }
}

extension String {
    /// Without spaces, tabs and line breaks at either end.
    fileprivate var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
