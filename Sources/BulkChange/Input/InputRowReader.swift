import CSV

/// Reads a bulk-change file's rows a chunk at a time, so that no array ever holds every row of a
/// large file: CSV record by record through `CSVReader`, JSON device by device through
/// `JSONBulkChangeReader`. `InputFile.read` is this reader drained into one array, for callers that
/// want a small file whole.
///
/// ```swift
/// let reader = try InputRowReader.open(path: path)
/// while case let rows = try reader.next(upTo: 4096), !rows.isEmpty { … }
/// let warnings = reader.warnings  // complete once the rows are
/// ```
public final class InputRowReader {
    /// The file's name, as messages show it.
    public let fileName: String
    /// The change every row asks for.
    public let changeType: ChangeType
    /// The columns rows are given in: the header as written (CSV), or the canonical names (JSON).
    public let columns: [String]
    /// The service provider the file names (JSON only).
    public let serviceProvider: String?
    /// Data rows handed out so far.
    public private(set) var rowsRead = 0

    private enum Source {
        case csv(CSVReader, ColumnMap, headerLine: Int)
        case json(JSONBulkChangeReader)
        case workbook(WorkbookRows, headerLine: Int)
    }

    private let source: Source
    private var finished = false

    private init(
        fileName: String, changeType: ChangeType, columns: [String], serviceProvider: String?, source: Source
    ) {
        self.fileName = fileName
        self.changeType = changeType
        self.columns = columns
        self.serviceProvider = serviceProvider
        self.source = source
    }

    /// Opens the file at `path`: `.csv` and `.txt` as CSV, `.json` as JSON, `.xlsx` as an Excel
    /// workbook (`WorkbookRows`). Only `limits.readBytes` bytes are read when set; a JSON file
    /// larger than `limits` allow is refused before it is parsed.
    ///
    /// - Throws: `InputFileError` when the file cannot be opened or used as a whole (its header,
    ///   or the JSON envelope).
    public static func open(path: String, limits: InputLimits = InputLimits()) throws(InputFileError)
        -> InputRowReader
    {
        let fileName = String(path.split(separator: "/").last ?? Substring(path))
        let fileExtension = fileName.contains(".") ? fileName.split(separator: ".").last.map { $0.lowercased() } : nil
        guard let fileExtension, ["csv", "txt", "json", "xlsx"].contains(fileExtension) else {
            throw .unsupportedFileType(fileName: fileName)
        }
        if fileExtension == "xlsx" { return try workbook(path: path, fileName: fileName) }
        let source: FileByteSource
        let size: Int
        do {
            source = try FileByteSource(path: path, length: limits.readBytes)
            size = try source.byteCount()
        } catch {
            throw InputFileError(fileName: fileName, error)
        }
        guard fileExtension == "json" else { return try csv(source, fileName: fileName) }
        guard size <= limits.maxJSONBytes else { throw .jsonTooLarge(fileName: fileName, bytes: size, limits: limits) }
        return try json(source, fileName: fileName, limits: limits)
    }

    /// A reader of CSV text; see `InputFile.read(csv:fileName:options:)` for the rules.
    ///
    /// - Throws: `InputFileError` for a file name without a change type, an empty file, or a
    ///   header that lacks a required column or names one twice.
    public static func csv(
        _ source: some ByteSource, fileName: String, options: CSVReadOptions = CSVReadOptions()
    ) throws(InputFileError) -> InputRowReader {
        guard let changeType = ChangeType(fileName: fileName) else { throw .unknownChangeType(fileName: fileName) }
        let reader = CSVReader(source: source, options: options)
        let header: CSVRecord?
        do { header = try reader.next() } catch { throw InputFileError(fileName: fileName, error) }
        guard let header else { throw .emptyFile(fileName: fileName) }
        let columns = Array(header)
        let map = try ColumnMap(header: columns, changeType: changeType, fileName: fileName, line: header.line)
        return InputRowReader(
            fileName: fileName, changeType: changeType, columns: columns, serviceProvider: nil,
            source: .csv(reader, map, headerLine: header.line))
    }

    /// A reader of a JSON bulk change; see `JSONBulkChangeReader`.
    ///
    /// - Throws: `InputFileError` for broken JSON or an envelope that cannot be used.
    public static func json(
        _ source: some SeekableByteSource, fileName: String, limits: InputLimits = InputLimits()
    ) throws(InputFileError) -> InputRowReader {
        let reader = try JSONBulkChangeReader(source: source, fileName: fileName, limits: limits)
        return InputRowReader(
            fileName: fileName, changeType: reader.changeType, columns: reader.columns,
            serviceProvider: reader.serviceProvider, source: .json(reader))
    }

    /// A reader of the sheet of an `.xlsx` workbook; see `WorkbookRows` for the rules.
    ///
    /// - Throws: `InputFileError` for a file name without a change type, a file that is no
    ///   readable workbook, or a header that lacks a required column or names one twice.
    public static func workbook(path: String, fileName: String) throws(InputFileError) -> InputRowReader {
        guard let changeType = ChangeType(fileName: fileName) else { throw .unknownChangeType(fileName: fileName) }
        let rows = try WorkbookRows(path: path, fileName: fileName, changeType: changeType)
        return InputRowReader(
            fileName: fileName, changeType: changeType, columns: rows.columns, serviceProvider: nil,
            source: .workbook(rows, headerLine: rows.headerLine))
    }

    /// Up to `count` more rows; empty once every row has been read.
    ///
    /// - Throws: `InputFileError` when the rest of the file cannot be read (broken CSV text).
    public func next(upTo count: Int) throws(InputFileError) -> [InputRow] {
        var rows: [InputRow] = []
        while !finished, rows.count < count {
            guard let row = try nextRow() else {
                finished = true
                break
            }
            rows.append(row)
        }
        return rows
    }

    /// What the reader noticed: unknown columns or keys, decoding notes, no rows at all. Complete
    /// once `next(upTo:)` has returned an empty chunk.
    public var warnings: [InputWarning] {
        var warnings: [InputWarning]
        switch source {
        case .csv(let reader, let map, let headerLine):
            warnings = reader.warnings.map { InputWarning.csv(fileName: fileName, $0) }
            warnings += unknownColumnsWarning(map, headerLine: headerLine)
        case .json(let reader):
            warnings = reader.warnings
        case .workbook(let rows, let headerLine):
            warnings = rows.warnings(fileName: fileName)
            warnings += unknownColumnsWarning(rows.map, headerLine: headerLine)
        }
        if finished, rowsRead == 0 { warnings.append(.noRows(fileName: fileName)) }
        return warnings
    }

    private func unknownColumnsWarning(_ map: ColumnMap, headerLine: Int) -> [InputWarning] {
        guard !map.unknownColumns.isEmpty else { return [] }
        return [
            .unknownColumns(fileName: fileName, line: headerLine, names: map.unknownColumns, changeType: changeType)
        ]
    }

    private func nextRow() throws(InputFileError) -> InputRow? {
        switch source {
        case .workbook(let rows, _):
            let row: (line: Int, values: [String], problem: RowRejection?)?
            do { row = try rows.next() } catch { throw .workbook(fileName: fileName, error) }
            guard let row else { return nil }
            rowsRead += 1
            return InputRow(
                number: rowsRead, line: row.line, values: row.values, fields: rows.map.fields(of: row.values),
                problem: row.problem)
        case .json(let reader):
            guard let row = try reader.nextRow() else { return nil }
            rowsRead += 1
            return row
        case .csv(let reader, let map, _):
            while true {
                let record: CSVRecord?
                do { record = try reader.next() } catch { throw InputFileError(fileName: fileName, error) }
                guard let record else { return nil }
                let values = Array(record)
                // A fully empty record is no row (spreadsheets leave them at the end).
                guard values.contains(where: { InputRow.clean($0) != nil }) else { continue }
                let problem =
                    values.count == columns.count
                    ? nil
                    : RowRejection(
                        message: "row has \(Wording.count(values.count, "field")), the header has \(columns.count)",
                        hint: "put quotes around values that contain the delimiter")
                rowsRead += 1
                return InputRow(
                    number: rowsRead, line: record.line, values: values, fields: map.fields(of: values),
                    problem: problem)
            }
        }
    }
}
