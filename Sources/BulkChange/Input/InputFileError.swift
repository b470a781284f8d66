import CSV
import XLSX

/// Why a file cannot be used at all; its rows are then not judged one by one.
///
/// Descriptions say what, where and how to fix it, file name first:
/// `fleet.csv:1: the header has no ICCID column (also accepted: SIM, SIM Number, ICCID Number); …`.
public enum InputFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(fileName: String, reason: String)
    /// The name ends in something other than `.csv`, `.txt`, `.json` or `.xlsx`.
    case unsupportedFileType(fileName: String)
    /// The CSV text cannot be read without guessing (the error has the line and column).
    case csv(fileName: String, CSVError)
    /// The `.xlsx` workbook cannot be read: not a workbook, broken, or past a limit.
    case workbook(fileName: String, XLSXError)
    /// Neither the file name nor (for JSON) a `changeType` says which change the file holds.
    case unknownChangeType(fileName: String)
    /// A JSON `changeType` that is not one of the six slugs.
    case notAChangeType(fileName: String, value: String)
    /// The JSON `changeType` and the file-name prefix name different change types.
    case changeTypeMismatch(fileName: String, declared: ChangeType, named: ChangeType)
    /// The CSV file has no header line.
    case emptyFile(fileName: String)
    /// A required column is not in the CSV header on `line`.
    case missingColumn(fileName: String, line: Int, field: FieldSpec)
    /// Two header cells name the same field.
    case duplicateColumn(fileName: String, line: Int, field: String, headers: [String])
    /// The JSON text itself is broken (the error has the line and column).
    case malformedJSON(fileName: String, JSONError)
    /// A key given twice in the JSON envelope (`place` is `at the top level`) or in its
    /// `"defaults"` (`in "defaults"`); a key given twice in a device only rejects that row.
    case duplicateJSONKey(fileName: String, key: String, place: String, at: JSONPosition, firstAt: JSONPosition)
    /// A JSON file larger than the limit (`InputLimits`): its size in bytes, or `nil` when it grew
    /// past the limit while it was read.
    case jsonTooLarge(fileName: String, bytes: Int?, limits: InputLimits)
    /// Valid JSON, but not shaped as a bulk change: `key` is not what it should be.
    case unexpectedJSON(fileName: String, key: String, expected: String)

    /// The error for a `CSVError` met while reading `fileName`.
    public init(fileName: String, _ error: CSVError) {
        if case .unreadable(_, let reason) = error {
            self = .unreadable(fileName: fileName, reason: reason)
        } else {
            self = .csv(fileName: fileName, error)
        }
    }

    /// The error for a `JSONError` met while reading `fileName`.
    public init(fileName: String, _ error: JSONError, limits: InputLimits) {
        switch error {
        case .unreadable(let error): self.init(fileName: fileName, error)
        case .tooLarge: self = .jsonTooLarge(fileName: fileName, bytes: nil, limits: limits)
        default: self = .malformedJSON(fileName: fileName, error)
        }
    }

    /// The name of the file at fault.
    public var fileName: String {
        switch self {
        case .unreadable(let fileName, _), .unsupportedFileType(let fileName), .csv(let fileName, _),
            .workbook(let fileName, _), .unknownChangeType(let fileName), .notAChangeType(let fileName, _),
            .changeTypeMismatch(let fileName, _, _), .emptyFile(let fileName), .missingColumn(let fileName, _, _),
            .duplicateColumn(let fileName, _, _, _), .malformedJSON(let fileName, _),
            .unexpectedJSON(let fileName, _, _), .duplicateJSONKey(let fileName, _, _, _, _),
            .jsonTooLarge(let fileName, _, _):
            fileName
        }
    }

    /// `file:line: what; how to fix`, or `file:line:column: …` for CSV and JSON text; a
    /// workbook's line is its sheet's row number.
    public var description: String {
        switch self {
        case .unreadable(let fileName, let reason):
            "\(fileName): cannot read the file: \(reason)"
        case .unsupportedFileType(let fileName):
            "\(fileName): not a file BulkDrop reads; name it .csv (or .txt) for CSV, .json for JSON, .xlsx for an "
                + "Excel workbook"
        case .csv(let fileName, let error):
            "\(fileName):\(error)"
        case .workbook(let fileName, let error):
            "\(fileName): \(error)"
        case .unknownChangeType(let fileName):
            "\(fileName): the file name does not say which change it holds; start it with one of "
                + "\(Self.slugs) and an underscore (status-update_fleet.csv), or for JSON set \"changeType\""
        case .notAChangeType(let fileName, let value):
            "\(fileName): \"changeType\": \(Echo.quoted(value)) is not a change type; use one of \(Self.slugs)"
        case .changeTypeMismatch(let fileName, let declared, let named):
            "\(fileName): \"changeType\" says \(declared.slug) but the file name says \(named.slug); "
                + "make them agree or rename the file"
        case .emptyFile(let fileName):
            "\(fileName): the file is empty; the first line must be a header naming the columns"
        case .missingColumn(let fileName, let line, let field):
            "\(fileName):\(line): the header has no \(field.displayName) column"
                + (field.otherNames.isEmpty ? "" : " (also accepted: \(field.otherNames.joined(separator: ", ")))")
                + "; add it, or check that this line is the header"
        case .duplicateColumn(let fileName, let line, let field, let headers):
            "\(fileName):\(line): columns \(headers.map(Echo.quoted).joined(separator: " and ")) "
                + "are both \(field); keep one"
        case .malformedJSON(let fileName, let error):
            error.position == nil ? "\(fileName): \(error)" : "\(fileName):\(error)"
        case .duplicateJSONKey(let fileName, let key, let place, let at, let firstAt):
            "\(fileName):\(at): key \(Echo.quoted(key)) appears twice \(place) (first at \(firstAt)); "
                + "give each key once"
        case .jsonTooLarge(let fileName, let bytes?, let limits):
            "\(fileName): the file is \(Wording.count(bytes, "byte")), more than the \(limits.jsonLimitText) a JSON "
                + "file may have (maxJSONFileMegabytes); split it into smaller files, or send it as CSV"
        case .jsonTooLarge(let fileName, nil, let limits):
            "\(fileName): the file grew past the \(limits.jsonLimitText) a JSON file may have "
                + "(maxJSONFileMegabytes) while it was read; split it into smaller files, or send it as CSV"
        case .unexpectedJSON(let fileName, let key, let expected):
            "\(fileName): \(key) must be \(expected)"
        }
    }

    private static var slugs: String { ChangeType.allCases.map(\.slug).joined(separator: ", ") }
}
