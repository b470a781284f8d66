/// The state of a `CSVReader`: decoder, text buffer and parser, advanced one record at a time.
///
/// A struct held by the reader class, so one call to `readRecord` is one access to the class's
/// storage rather than one per field the loop touches.
struct RecordStream {
    private var decoder: TextDecoder
    private(set) var parser: CSVParser
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    /// Index in `buffer` where Windows-1252 decoding starts, until the parser has reached it.
    private var fallbackStart: Int?
    private var inputEnded = false
    private var preludeRead = false
    private let explicitDelimiter: UInt8?
    private var failure: CSVError?
    private(set) var warnings: [CSVWarning] = []

    init(source: any ByteSource, options: CSVReadOptions) {
        decoder = TextDecoder(source: source, scratchCapacity: options.bufferSize)
        buffer = .allocate(capacity: options.bufferSize)
        explicitDelimiter = options.delimiter
        parser = CSVParser(delimiter: options.delimiter ?? UInt8(ascii: ","), maxFieldSize: options.maxFieldSize)
    }

    func deallocate() {
        buffer.deallocate()
        decoder.deallocate()
    }

    /// Reads the next record into `fields`; `nil` at the end of the input, else the line it starts on.
    mutating func readRecord(into fields: inout FieldBuffer) throws(CSVError) -> Int? {
        if let failure { throw failure }
        do {
            return try nextRecord(into: &fields)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func nextRecord(into fields: inout FieldBuffer) throws(CSVError) -> Int? {
        if !preludeRead { try readPrelude() }
        while true {
            // Before a refill: the fallback may start at the very end of the chunk.
            if let fallback = fallbackStart, start == fallback {
                warnings.append(.decodedAsWindows1252(from: parser.position))
                fallbackStart = nil
                continue
            }
            if start == end {
                if inputEnded { break }
                try refill()
                continue
            }
            let chunk = UnsafeBufferPointer(rebasing: buffer[start..<(fallbackStart ?? end)])
            let (step, consumed) = parser.parse(chunk, into: &fields)
            start += consumed
            switch step {
            case .needInput: continue
            case .record: return parser.recordLine
            case .failed: throw parser.error!
            }
        }
        switch parser.finish(into: &fields) {
        case .needInput: return nil
        case .record: return parser.recordLine
        case .failed: throw parser.error!
        }
    }

    private mutating func refill() throws(CSVError) {
        start = 0
        end = try decoder.read(into: buffer)
        fallbackStart = decoder.fallbackIndex
        if end == 0 { inputEnded = true }
    }

    /// Fills the first buffer as far as the input allows, then applies a `sep=` line and separator detection.
    private mutating func readPrelude() throws(CSVError) {
        preludeRead = true
        try refill()
        if let bigEndian = decoder.guessedUTF16 {
            warnings.append(.decodedAsUTF16WithoutByteOrderMark(bigEndian: bigEndian))
        }
        while !inputEnded, buffer.count - end >= TextDecoder.minimumOutput, fallbackStart == nil {
            let count = try decoder.read(into: UnsafeMutableBufferPointer(rebasing: buffer[end...]))
            if count == 0 { inputEnded = true }
            if let index = decoder.fallbackIndex { fallbackStart = end + index }
            end += count
        }
        // The loop stops anywhere in the last `minimumOutput` bytes, depending on how the source
        // hands its bytes over; looking only at what every source has filled by then keeps the
        // separator the same for the same text.
        let settled = min(fallbackStart ?? end, buffer.count - TextDecoder.minimumOutput)
        let text = UnsafeBufferPointer(rebasing: buffer[start..<settled])
        if let (length, named) = CSVPrelude.separatorLine(in: text) {
            parser.skip(UnsafeBufferPointer(rebasing: text[0..<length]))
            start += length
            if explicitDelimiter == nil { parser.delimiter = named }
        } else if explicitDelimiter == nil {
            parser.delimiter = CSVPrelude.detectDelimiter(in: text)
        }
    }
}
