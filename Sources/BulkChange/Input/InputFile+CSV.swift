import CSV

extension InputFile {
    /// Reads a CSV file held in memory; see `read(csv:fileName:options:)`.
    ///
    /// - Throws: `InputFileError` when the file cannot be used as a whole.
    public static func read(
        csv bytes: [UInt8], fileName: String, options: CSVReadOptions = CSVReadOptions()
    ) throws(InputFileError) -> InputFile {
        try read(csv: MemoryByteSource(bytes), fileName: fileName, options: options)
    }

    /// Reads a CSV file: the change type from the file-name prefix, a header naming the columns
    /// (canonical names or aliases), then one row per record; fully empty records are skipped.
    ///
    /// Unknown columns are ignored with a warning, except the result columns of an errors file
    /// (`row`, `outcome`, `error`, `message`, …), so a fixed errors file can be dropped again. A row
    /// with another field count than the header is kept with a `problem`.
    ///
    /// - Throws: `InputFileError` for a file name without a change type, CSV text that cannot be
    ///   read, an empty file, or a header that lacks a required column or names one twice.
    public static func read(
        csv source: some ByteSource, fileName: String, options: CSVReadOptions = CSVReadOptions()
    ) throws(InputFileError) -> InputFile {
        guard let changeType = ChangeType(fileName: fileName) else { throw .unknownChangeType(fileName: fileName) }
        let reader = CSVReader(source: source, options: options)
        func next() throws(InputFileError) -> CSVRecord? {
            do { return try reader.next() } catch { throw InputFileError(fileName: fileName, error) }
        }

        guard let header = try next() else { throw .emptyFile(fileName: fileName) }
        let columns = Array(header)
        let map = try ColumnMap(header: columns, changeType: changeType, fileName: fileName, line: header.line)
        var rows: [InputRow] = []
        while let record = try next() {
            let values = Array(record)
            guard values.contains(where: { InputRow.clean($0) != nil }) else { continue }
            let problem =
                values.count == columns.count
                ? nil
                : RowRejection(
                    message: "row has \(Wording.count(values.count, "field")), the header has \(columns.count)",
                    hint: "put quotes around values that contain the delimiter")
            rows.append(
                InputRow(
                    number: rows.count + 1, line: record.line, values: values, fields: map.fields(of: values),
                    problem: problem))
        }

        var warnings = reader.warnings.map { InputWarning.csv(fileName: fileName, $0) }
        if !map.unknownColumns.isEmpty {
            warnings.append(
                .unknownColumns(
                    fileName: fileName, line: header.line, names: map.unknownColumns, changeType: changeType))
        }
        if rows.isEmpty { warnings.append(.noRows(fileName: fileName)) }
        return InputFile(
            fileName: fileName, changeType: changeType, columns: columns, rows: rows, warnings: warnings)
    }
}
