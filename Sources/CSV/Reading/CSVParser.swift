/// The CSV grammar as a state machine over UTF-8 bytes, with no I/O of its own.
///
/// `parse(_:into:)` consumes bytes until a record ends or the input runs out and reports which;
/// the caller owns buffers and refills. Runs of ordinary bytes are found and copied sixteen at a
/// time (`ByteStops`, `FieldBuffer.appendRun`), and consecutive unquoted fields are read in one
/// inner loop, so most bytes cost a fraction of a transition. Positions are tracked as it goes,
/// so every error says where it is. Rules: RFC 4180 quoting; CRLF, LF or a lone CR end a record;
/// lines with nothing on them are skipped; a quote inside an unquoted field is an ordinary
/// character.
struct CSVParser {
    /// What the last `parse` call stopped on.
    ///
    /// Without a payload, so `parse` returns it in a register; the error waits in `error`.
    enum Step: Equatable {
        /// All input consumed without finishing a record; give more, or call `finish`.
        case needInput
        /// A record was completed in the storage.
        case record
        /// The input cannot be read without guessing; `error` says why.
        case failed
    }

    private enum State {
        case recordStart, fieldStart, unquoted, quoted, quoteInQuoted
    }

    var delimiter: UInt8
    let maxFieldSize: Int
    private var state = State.recordStart
    /// Why the last step was `.failed`.
    private(set) var error: CSVError?

    /// Offset, in the whole text, of the first byte of the next input.
    private(set) var offset = 0
    private var line = 1
    private var lineStart = 0
    private var lastByte: UInt8 = 0
    /// Where the current record and field started.
    private(set) var recordLine = 0
    /// Where the current field started, kept as plain numbers: every field sets them, only an
    /// error reads them (`fieldStart`).
    private var fieldStartOffset = 0
    private var fieldStartLine = 1
    private var fieldStartLineStart = 0
    private var fieldStorageStart = 0

    init(delimiter: UInt8, maxFieldSize: Int) {
        self.delimiter = delimiter
        self.maxFieldSize = maxFieldSize
    }

    /// The position of the next byte to be parsed.
    var position: CSVPosition {
        CSVPosition(line: line, column: offset - lineStart + 1, byteOffset: offset)
    }

    /// Accounts for text the reader removed before parsing (an Excel `sep=` line) so positions stay true.
    mutating func skip(_ text: UnsafeBufferPointer<UInt8>) {
        for (index, byte) in text.enumerated() where byte == .cr || byte == .lf {
            let previous = index == 0 ? lastByte : text[index - 1]
            lineBreak(byte, at: offset + index, previous: previous)
        }
        offset += text.count
        if let last = text.last { lastByte = last }
    }

    /// Parses from the start of `input` until a record ends or the input is used up.
    ///
    /// - Returns: what happened, and how many bytes of `input` were consumed.
    mutating func parse(_ input: UnsafeBufferPointer<UInt8>, into storage: inout FieldBuffer) -> (Step, consumed: Int) {
        guard let base = input.baseAddress, !input.isEmpty else { return (.needInput, 0) }
        let end = input.count
        let delimiter = self.delimiter
        let fieldStops = ByteStops(delimiter, .lf, .cr)
        let quotedStops = ByteStops(.quote, .lf, .cr)
        var index = 0
        var step = Step.needInput

        parsing: while index < end {
            switch state {
            case .recordStart:
                let byte = base[index]
                if byte == .cr || byte == .lf {
                    lineBreak(byte, at: offset + index, previous: previousByte(base, index))
                    index += 1
                    continue
                }
                recordLine = line
                state = .fieldStart

            case .fieldStart:
                beginField(at: index, storage)
                let byte = base[index]
                if byte == .quote {
                    state = .quoted
                    index += 1
                } else if byte == delimiter {
                    storage.endField()
                    index += 1
                } else if byte == .cr || byte == .lf {
                    storage.endField()
                    lineBreak(byte, at: offset + index, previous: previousByte(base, index))
                    index += 1
                    state = .recordStart
                    step = .record
                    break parsing
                } else {
                    state = .unquoted
                }

            case .unquoted:
                // One unquoted field after another without going back through the switch:
                // the common shape of a record.
                while true {
                    index = storage.appendRun(from: base, index, to: end, stoppingAt: fieldStops)
                    if storage.byteCount &- fieldStorageStart > maxFieldSize {
                        error = .fieldTooLarge(start: fieldStart, limit: maxFieldSize)
                        step = .failed
                        break parsing
                    }
                    guard index < end else { break parsing }
                    storage.endField()
                    let byte = base[index]
                    index += 1
                    guard byte == delimiter else {
                        lineBreak(byte, at: offset + index - 1, previous: previousByte(base, index - 1))
                        state = .recordStart
                        step = .record
                        break parsing
                    }
                    guard index < end, !fieldStops.contains(base[index]), base[index] != .quote else {
                        state = .fieldStart
                        continue parsing
                    }
                    beginField(at: index, storage)
                }

            case .quoted:
                index = storage.appendRun(from: base, index, to: end, stoppingAt: quotedStops)
                if index < end {
                    let byte = base[index]
                    if byte == .quote {
                        state = .quoteInQuoted
                    } else {
                        storage.append(byte)
                        lineBreak(byte, at: offset + index, previous: previousByte(base, index))
                    }
                    index += 1
                }
                if storage.byteCount &- fieldStorageStart > maxFieldSize {
                    error = .fieldTooLarge(start: fieldStart, limit: maxFieldSize)
                    step = .failed
                    break parsing
                }

            case .quoteInQuoted:
                let byte = base[index]
                if byte == .quote {
                    storage.append(byte)
                    state = .quoted
                    index += 1
                } else if byte == delimiter {
                    storage.endField()
                    state = .fieldStart
                    index += 1
                } else if byte == .cr || byte == .lf {
                    storage.endField()
                    lineBreak(byte, at: offset + index, previous: previousByte(base, index))
                    index += 1
                    state = .recordStart
                    step = .record
                    break parsing
                } else {
                    let at = CSVPosition(line: line, column: offset + index - lineStart + 1, byteOffset: offset + index)
                    error = .charactersAfterClosingQuote(at: at)
                    step = .failed
                    break parsing
                }
            }
        }

        if index > 0 { lastByte = base[index - 1] }
        offset += index
        return (step, index)
    }

    /// Notes where the field starting at `input[index]` begins, for its error messages and size cap.
    @inline(__always)
    private mutating func beginField(at index: Int, _ storage: FieldBuffer) {
        fieldStartOffset = offset &+ index
        fieldStartLine = line
        fieldStartLineStart = lineStart
        fieldStorageStart = storage.byteCount
    }

    /// The position of the first byte of the current field.
    private var fieldStart: CSVPosition {
        CSVPosition(
            line: fieldStartLine, column: fieldStartOffset - fieldStartLineStart + 1, byteOffset: fieldStartOffset)
    }

    /// Ends the input: completes a last record without a final line break, or reports an open quote.
    mutating func finish(into storage: inout FieldBuffer) -> Step {
        switch state {
        case .recordStart:
            return .needInput
        case .quoted:
            error = .unterminatedQuotedField(start: fieldStart)
            return .failed
        case .fieldStart, .unquoted, .quoteInQuoted:
            storage.endField()
            state = .recordStart
            return .record
        }
    }

    @inline(__always)
    private func previousByte(_ base: UnsafePointer<UInt8>, _ index: Int) -> UInt8 {
        index == 0 ? lastByte : base[index - 1]
    }

    /// Counts a line break; the LF of a CRLF pair only moves the line start.
    @inline(__always)
    private mutating func lineBreak(_ byte: UInt8, at absolute: Int, previous: UInt8) {
        if !(byte == .lf && previous == .cr) { line += 1 }
        lineStart = absolute + 1
    }
}

extension UInt8 {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")
}
