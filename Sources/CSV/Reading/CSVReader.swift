/// Reads CSV records one at a time from a file or from memory, in bounded memory.
///
/// The reader owns the I/O: it decodes the input to UTF-8 (`TextDecoder`), handles what the
/// first line may say (`sep=`, the separator to detect), and feeds a fixed-size buffer to the
/// `CSVParser` state machine. Memory stays at about two buffers plus the largest record,
/// whatever the file size.
///
/// ```swift
/// let reader = try CSVReader(path: "fleet.csv")
/// var record = CSVRecord()
/// while try reader.readRecord(into: &record) {
///     print(record.line, record[0])
/// }
/// ```
public final class CSVReader {
    /// Behind a pointer, not in a `var`, so reading a record does not pay the run-time
    /// exclusivity check Swift makes on every use of a class's `var`.
    private let stream: UnsafeMutablePointer<RecordStream>

    /// Reads the file at `path`.
    ///
    /// - Throws: `CSVError.unreadable` when it cannot be opened.
    public convenience init(path: String, options: CSVReadOptions = CSVReadOptions()) throws(CSVError) {
        self.init(source: try FileByteSource(path: path), options: options)
    }

    /// Reads `bytes`; `chunkSize` limits how much the source hands over at a time (for tests).
    public convenience init(bytes: [UInt8], options: CSVReadOptions = CSVReadOptions(), chunkSize: Int = .max) {
        self.init(source: MemoryByteSource(bytes, chunkSize: chunkSize), options: options)
    }

    /// Reads whatever `source` delivers.
    public init(source: any ByteSource, options: CSVReadOptions = CSVReadOptions()) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: RecordStream(source: source, options: options))
    }

    deinit {
        stream.pointee.deallocate()
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The separator in use: the one given, the one a `sep=` line named, or the one detected.
    /// Settled once the first record has been read.
    public var delimiter: UInt8 { stream.pointee.parser.delimiter }

    /// What the reader noticed and worked around so far, such as a Windows-1252 fallback.
    public var warnings: [CSVWarning] { stream.pointee.warnings }

    /// Reads the next record into `record`, reusing its storage when nothing else shares it.
    ///
    /// - Returns: `false` at the end of the input (and `record` is then empty).
    /// - Throws: `CSVError` for text that cannot be read without guessing; later calls throw it again.
    public func readRecord(into record: inout CSVRecord) throws(CSVError) -> Bool {
        let storage = record.storageForReading()
        guard let line = try stream.pointee.readRecord(into: &storage.fields.pointee) else { return false }
        record.line = line
        return true
    }

    /// The next record, or `nil` at the end of the input.
    public func next() throws(CSVError) -> CSVRecord? {
        var record = CSVRecord()
        return try readRecord(into: &record) ? record : nil
    }

    /// Reads every remaining record; meant for small inputs and tests.
    public func readAll() throws(CSVError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }
}
