import CSV

/// Something noticed while reading a file and worked around; the rows are still read.
///
/// Descriptions quote input through `Echo`, and name at most `namedLimit` unknown columns or keys,
/// so a warning stays short whatever the file holds.
public enum InputWarning: Equatable, Sendable, CustomStringConvertible {
    /// The CSV reader worked around something, such as text that is not UTF-8.
    case csv(fileName: String, CSVWarning)
    /// Header cells on `line` that name no column of the change type; their cells are ignored.
    /// The description names the first `namedLimit` and counts the rest.
    case unknownColumns(fileName: String, line: Int, names: [String], changeType: ChangeType)
    /// A JSON key that is not a field of the change type, with the first place it appears
    /// (`defaults`, `devices[3]`, `the top level`); it is ignored wherever it appears.
    case unknownKey(fileName: String, key: String, firstAt: String, changeType: ChangeType)
    /// More unknown JSON keys than are named one by one (`namedLimit`): how many others, counted
    /// up to a limit (`atLeast` when the count stopped there).
    case moreUnknownKeys(fileName: String, count: Int, atLeast: Bool, changeType: ChangeType)
    /// The file has a header (or a devices array) but no data rows.
    case noRows(fileName: String)
    /// Cells of a workbook's sheet that hold formulas: their last calculated values were read.
    case formulaCells(fileName: String, sheet: String, cells: NamedPlaces)
    /// Rows of a workbook's sheet that Excel hides: they were read like the others.
    case hiddenRows(fileName: String, sheet: String, rows: NamedPlaces)
    /// Columns of a workbook's sheet that Excel hides, named `C (reason)`: they were read too.
    case hiddenColumns(fileName: String, sheet: String, columns: NamedPlaces)

    /// The most unknown columns or keys a file's warnings name one by one.
    public static let namedLimit = 20

    /// `file:line: warning: …`, saying what was ignored and what would be read.
    public var description: String {
        switch self {
        case .csv(let fileName, let warning):
            "\(fileName):\(warning)"
        case .unknownColumns(let fileName, let line, let names, let changeType):
            "\(fileName):\(line): warning: ignored \(names.count == 1 ? "column" : "columns") "
                + Self.list(names) + "; the \(changeType.slug) columns are " + Self.fieldNames(changeType)
        case .unknownKey(let fileName, let key, let firstAt, let changeType):
            "\(fileName): warning: ignored key \(Echo.quoted(key)) (first in \(firstAt)); the \(changeType.slug) "
                + "columns are " + Self.fieldNames(changeType)
        case .moreUnknownKeys(let fileName, let count, let atLeast, let changeType):
            "\(fileName): warning: ignored \(atLeast ? "at least " : "")\(Wording.count(count, "more key")) "
                + "not named here; the \(changeType.slug) columns are " + Self.fieldNames(changeType)
        case .noRows(let fileName):
            "\(fileName): warning: the file has no data rows"
        case .formulaCells(let fileName, let sheet, let cells):
            "\(fileName): warning: sheet \(Echo.quoted(sheet)): \(cells.count == 1 ? "cell" : "cells") \(cells.listed) "
                + "\(cells.count == 1 ? "holds a formula" : "hold formulas"); the values Excel last calculated were "
                + "read, so check them, or paste the values only"
        case .hiddenRows(let fileName, let sheet, let rows):
            "\(fileName): warning: sheet \(Echo.quoted(sheet)): hidden \(rows.count == 1 ? "row" : "rows") "
                + "\(rows.listed) \(rows.count == 1 ? "was" : "were") read like the others; delete rows that "
                + "should not be changed"
        case .hiddenColumns(let fileName, let sheet, let columns):
            "\(fileName): warning: sheet \(Echo.quoted(sheet)): hidden \(columns.count == 1 ? "column" : "columns") "
                + "\(columns.listed) \(columns.count == 1 ? "was" : "were") read like the others"
        }
    }

    /// `"a", "b" and 3 more`: the first `namedLimit` names, quoted, and a count of the others.
    private static func list(_ names: [String]) -> String {
        var places = NamedPlaces()
        for name in names { places.note(Echo.quoted(name)) }
        return places.listed
    }

    private static func fieldNames(_ changeType: ChangeType) -> String {
        changeType.fields.map(\.name).joined(separator: ", ")
    }
}
