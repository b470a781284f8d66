import CSV
import Foundation

/// A partner's file as BulkDrop reads it: one change type, the columns as the file names them,
/// and one `InputRow` per data row, before any row is judged.
///
/// CSV and JSON files end up the same; `RowValidator` takes it from here.
public struct InputFile: Equatable, Sendable {
    /// The file's name without directories, as messages show it.
    public var fileName: String
    /// The change every row asks for.
    public var changeType: ChangeType
    /// The service provider a JSON file names; `nil` for CSV (the inbox decides).
    public var serviceProvider: String?
    /// The input's own column names, in order: the CSV header as written (so an errors file can be
    /// fixed and dropped again), or for JSON the canonical names of the change type.
    public var columns: [String]
    /// The data rows, in input order; fully empty CSV lines are not rows.
    public var rows: [InputRow]
    /// What was noticed and worked around.
    public var warnings: [InputWarning]

    /// A file as read.
    public init(
        fileName: String, changeType: ChangeType, serviceProvider: String? = nil, columns: [String],
        rows: [InputRow], warnings: [InputWarning] = []
    ) {
        self.fileName = fileName
        self.changeType = changeType
        self.serviceProvider = serviceProvider
        self.columns = columns
        self.rows = rows
        self.warnings = warnings
    }

    /// Reads the file at `path`: `.csv` and `.txt` as CSV, `.json` as JSON.
    ///
    /// - Throws: `InputFileError` when the file cannot be read or used as a whole; a JSON file
    ///   larger than `limits` allow is refused before it is parsed.
    public static func read(path: String, limits: InputLimits = InputLimits()) throws(InputFileError) -> InputFile {
        try InputFile(draining: InputRowReader.open(path: path, limits: limits))
    }

    /// Every row `reader` has left, with its warnings.
    ///
    /// - Throws: `InputFileError` when the rest of the file cannot be read.
    init(draining reader: InputRowReader) throws(InputFileError) {
        var rows: [InputRow] = []
        while case let chunk = try reader.next(upTo: 4096), !chunk.isEmpty { rows += chunk }
        self.init(
            fileName: reader.fileName, changeType: reader.changeType, serviceProvider: reader.serviceProvider,
            columns: reader.columns, rows: rows, warnings: reader.warnings)
    }
}

/// One data row: where it was, the cells as written, and the fields by canonical name.
///
/// A class, so that handing a row from reader to validation to results costs one reference count,
/// not one for each of its strings and arrays; a row never changes once read.
public final class InputRow: Equatable, Sendable {
    /// 1-based number among the data rows (the header and empty lines do not count).
    public let number: Int
    /// 1-based line of the source the record starts on; 0 for JSON.
    public let line: Int
    /// The cells in `InputFile.columns` order: as written for CSV (a row with a wrong field count
    /// has its own count), the text of each field for JSON (empty when absent).
    public let values: [String]
    /// Canonical column name → trimmed, non-empty text.
    public let fields: FieldValues
    /// Why the row cannot be used whatever it says, such as a wrong field count.
    public let problem: RowRejection?

    /// A row as read.
    public init(number: Int, line: Int, values: [String], fields: FieldValues, problem: RowRejection? = nil) {
        self.number = number
        self.line = line
        self.values = values
        self.fields = fields
        self.problem = problem
    }

    /// A row as read, its fields given as a dictionary.
    public convenience init(
        number: Int, line: Int, values: [String], fields: [String: String], problem: RowRejection? = nil
    ) {
        self.init(number: number, line: line, values: values, fields: FieldValues(fields), problem: problem)
    }

    public static func == (lhs: InputRow, rhs: InputRow) -> Bool {
        lhs.number == rhs.number && lhs.line == rhs.line && lhs.values == rhs.values && lhs.fields == rhs.fields
            && lhs.problem == rhs.problem
    }

    /// `text` trimmed of surrounding white space, or `nil` when nothing is left: an empty cell is
    /// an absent value.
    static func clean(_ text: String) -> String? {
        // The common case, checked on the UTF-8 bytes: nothing to trim at either end.
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return nil }
        if first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return text }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
