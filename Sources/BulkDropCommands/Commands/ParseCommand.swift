import CSV

/// `bulkdrop parse FILE`: shows a partner exactly how BulkDrop reads their file.
enum ParseCommand: Command {
    static let spec = CommandSpec(
        path: ["parse"],
        summary: "Print the records of a CSV file as BulkDrop reads them, as a JSON array of arrays of strings.",
        synopsis: "FILE [--delimiter C]",
        positionals: ["FILE"],
        options: [DelimiterOption.option],
        details: """
            The output is what the reader sees after removing a byte order mark and an Excel sep= line,
            decoding UTF-16 or Windows-1252, and skipping empty lines. Warnings go to standard error.
            A file that cannot be read prints FILE:LINE:COLUMN: reason on standard error and exits 2.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let path = arguments.positionals[0]
        let options = CSVReadOptions(delimiter: try DelimiterOption.value(in: arguments, command: spec))
        let output = console.output
        var status = ExitStatus.success
        var reader: CSVReader?
        do {
            let opened = try CSVReader(path: path, options: options)
            reader = opened
            var record = CSVRecord()
            var first = true
            output.write("[")
            while try opened.readRecord(into: &record) {
                output.write(first ? "\n[" : ",\n[")
                first = false
                for index in record.indices {
                    if index > 0 { output.write(byte: UInt8(ascii: ",")) }
                    record.withUnsafeBytes(ofField: index) { output.writeJSONString($0) }
                }
                output.write("]")
            }
            output.write(first ? "]\n" : "\n]\n")
        } catch {
            status = ExitStatus.usageOrInput
            console.report(error, in: path)
        }
        output.flush()
        for warning in reader?.warnings ?? [] {
            console.errors.write("\(path):\(warning)\n")
        }
        return status
    }
}
