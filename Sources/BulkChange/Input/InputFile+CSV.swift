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
        try InputFile(draining: InputRowReader.csv(source, fileName: fileName, options: options))
    }
}
