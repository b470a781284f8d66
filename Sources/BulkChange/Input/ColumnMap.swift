import CSV
import Foundation

/// How the cells of a CSV header map onto the fields of a change type.
struct ColumnMap {
    /// Header cells a results or errors file adds: a fixed errors file dropped again has them, and
    /// they are ignored without a warning.
    static let resultColumns: Set<String> = ["row", "line", "outcome", "error", "message", "hint"]

    /// The position of each header cell that names a field, with the field's canonical name.
    let fieldColumns: [(index: Int, name: String)]
    /// Header cells that name no field (blank cells and result columns left out).
    let unknownColumns: [String]
    /// The names of `fieldColumns`, shared by every row's `FieldValues`.
    private let fieldNames: FieldNames

    /// Maps `header`, found on `line` of `fileName`.
    ///
    /// - Throws: `InputFileError.duplicateColumn` when two cells name one field,
    ///   `.missingColumn` when a required field has no cell.
    init(header: [String], changeType: ChangeType, fileName: String, line: Int) throws(InputFileError) {
        let specs = changeType.fields
        var indexOfField: [String: Int] = [:]
        var fieldColumns: [(index: Int, name: String)] = []
        var unknownColumns: [String] = []
        for (index, cell) in header.enumerated() {
            let name = cell.trimmingCharacters(in: .whitespaces)
            if let spec = specs.first(where: { $0.matches(header: name) }) {
                if let earlier = indexOfField[spec.name] {
                    throw .duplicateColumn(
                        fileName: fileName, line: line, field: spec.name, headers: [header[earlier], cell])
                }
                indexOfField[spec.name] = index
                fieldColumns.append((index, spec.name))
            } else if !name.isEmpty, !Self.resultColumns.contains(FieldSpec.columnKey(name)) {
                unknownColumns.append(name)
            }
        }
        if let missing = specs.first(where: { $0.required && indexOfField[$0.name] == nil }) {
            throw .missingColumn(fileName: fileName, line: line, field: missing)
        }
        self.fieldColumns = fieldColumns
        self.unknownColumns = unknownColumns
        fieldNames = FieldNames(fieldColumns.map(\.name))
    }

    /// The fields of a row's cells: canonical name → trimmed text, empty cells left out; cells a
    /// short row lacks are absent. The `'` BulkDrop's own CSV files put before a cell that a
    /// spreadsheet would run as a formula is taken off again (`CSVWriter.unguarded(_:)`).
    func fields(of values: [String]) -> FieldValues {
        FieldValues(
            names: fieldNames,
            values: fieldColumns.map {
                $0.index < values.count ? InputRow.clean(CSVWriter.unguarded(values[$0.index])) : nil
            })
    }
}
