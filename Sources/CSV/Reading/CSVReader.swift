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
    private var decoder: TextDecoder
    private var parser: CSVParser
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    /// Index in `buffer` where Windows-1252 decoding starts, until the parser has reached it.
    private var fallbackStart: Int?
    private var inputEnded = false
    private var preludeRead = false
    private var explicitDelimiter: UInt8?
    private var failure: CSVError?

    /// What the reader noticed and worked around so far, such as a Windows-1252 fallback.
    public private(set) var warnings: [CSVWarning] = []

    /// Reads the file at `path`.
    ///
    /// - Throws: `CSVError.unreadable` when it cannot be opened.
    public convenience init(path: String, options: CSVReadOptions = CSVReadOptions()) throws {
        self.init(source: try FileByteSource(path: path), options: options)
    }

    /// Reads `bytes`; `chunkSize` limits how much the source hands over at a time (for tests).
    public convenience init(bytes: [UInt8], options: CSVReadOptions = CSVReadOptions(), chunkSize: Int = .max) {
        self.init(source: MemoryByteSource(bytes, chunkSize: chunkSize), options: options)
    }

    /// Reads whatever `source` delivers.
    public init(source: any ByteSource, options: CSVReadOptions = CSVReadOptions()) {
        decoder = TextDecoder(source: source, scratchCapacity: options.bufferSize)
        buffer = .allocate(capacity: options.bufferSize)
        explicitDelimiter = options.delimiter
        parser = CSVParser(delimiter: options.delimiter ?? UInt8(ascii: ","), maxFieldSize: options.maxFieldSize)
    }

    deinit {
        buffer.deallocate()
        decoder.deallocate()
    }

    /// The separator in use: the one given, the one a `sep=` line named, or the one detected.
    /// Settled once the first record has been read.
    public var delimiter: UInt8 { parser.delimiter }

    /// Reads the next record into `record`, reusing its storage when nothing else shares it.
    ///
    /// - Returns: `false` at the end of the input (and `record` is then empty).
    /// - Throws: `CSVError` for text that cannot be read without guessing; later calls throw it again.
    public func readRecord(into record: inout CSVRecord) throws -> Bool {
        if let failure { throw failure }
        let storage = record.storageForReading()
        do {
            if !preludeRead { try readPrelude() }
            while true {
                if start == end {
                    if inputEnded { break }
                    try refill()
                    continue
                }
                let limit = fallbackStart ?? end
                if start == limit, fallbackStart != nil {
                    warnings.append(.decodedAsWindows1252(from: parser.position))
                    fallbackStart = nil
                    continue
                }
                let chunk = UnsafeBufferPointer(rebasing: buffer[start..<limit])
                let (step, consumed) = parser.parse(chunk, into: storage)
                start += consumed
                switch step {
                case .needInput: continue
                case .record:
                    record.line = parser.recordLine
                    return true
                case .failed(let error): throw error
                }
            }
            switch parser.finish(into: storage) {
            case .needInput: return false
            case .record:
                record.line = parser.recordLine
                return true
            case .failed(let error): throw error
            }
        } catch let error as CSVError {
            failure = error
            throw error
        }
    }

    /// The next record, or `nil` at the end of the input.
    public func next() throws -> CSVRecord? {
        var record = CSVRecord()
        return try readRecord(into: &record) ? record : nil
    }

    /// Reads every remaining record; meant for small inputs and tests.
    public func readAll() throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    private func refill() throws {
        start = 0
        end = try decoder.read(into: buffer)
        fallbackStart = decoder.fallbackIndex
        if end == 0 { inputEnded = true }
    }

    /// Fills the first buffer as far as the input allows, then applies a `sep=` line and separator detection.
    private func readPrelude() throws {
        preludeRead = true
        try refill()
        while !inputEnded, buffer.count - end >= TextDecoder.minimumOutput, fallbackStart == nil {
            let count = try decoder.read(into: UnsafeMutableBufferPointer(rebasing: buffer[end...]))
            if count == 0 { inputEnded = true }
            if let index = decoder.fallbackIndex { fallbackStart = end + index }
            end += count
        }
        let text = UnsafeBufferPointer(rebasing: buffer[start..<(fallbackStart ?? end)])
        if let (length, named) = CSVPrelude.separatorLine(in: text) {
            parser.skip(UnsafeBufferPointer(rebasing: text[0..<length]))
            start += length
            if explicitDelimiter == nil { parser.delimiter = named }
        } else if explicitDelimiter == nil {
            parser.delimiter = CSVPrelude.detectDelimiter(in: text)
        }
    }
}
