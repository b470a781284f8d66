import CSV

/// One lexical piece of JSON text.
enum JSONToken: Equatable {
    case beginObject, endObject, beginArray, endArray, colon, comma
    /// A string; its decoded UTF-8 is in `JSONScanner.bytes`.
    case string
    /// A number; its text as written is in `JSONScanner.bytes`.
    case number
    case trueLiteral, falseLiteral, null
    /// Letters that are not `true`, `false` or `null` (`tru`, an unquoted key); the first few
    /// are in `JSONScanner.bytes`, for the message.
    case word
    /// A byte no token starts with; it is not consumed.
    case other(UInt8)
    /// The end of the input.
    case end
}

/// Cuts the bytes of a JSON file into tokens, in bounded memory: the owner of the I/O, the read
/// buffer and the position under `JSONEventReader`.
///
/// Strings are decoded (escapes, surrogate pairs) into `bytes` and checked to be UTF-8; numbers
/// are checked against JSON's grammar and kept as written. A string or number longer than
/// `maxValueBytes` stops the scan, so a quote that is never closed cannot fill the memory.
struct JSONScanner {
    /// The longest string or number accepted, in bytes: the CSV reader's field cap.
    static let maxValueBytes = CSVReadOptions.defaultMaxFieldSize

    private var source: any SeekableByteSource
    private let buffer: ScanBuffer
    /// Unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var sourceEnded = false
    /// Bytes taken from the source since the start of the file (or the offset sought).
    private var bytesRead = 0
    private let maxBytes: Int
    /// Whether the last byte consumed was a CR, so a LF after it ends no second line.
    private var afterCR = false

    /// Where the next unread byte is.
    private(set) var position = JSONPosition.start
    /// Where the last token returned by `next()` starts.
    private(set) var tokenStart = JSONPosition.start
    /// The decoded string, the number as written, or the start of the word of the last token.
    private(set) var bytes: [UInt8] = []

    /// Scans `source`, refusing to read more than `maxBytes` from it.
    init(source: some SeekableByteSource, maxBytes: Int, bufferSize: Int = 64 * 1024) {
        self.source = source
        self.maxBytes = maxBytes
        buffer = ScanBuffer(count: max(bufferSize, 16))
    }

    /// The text of `bytes` (checked to be UTF-8 when it was scanned).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: - Start and seek

    /// Reads past a UTF-8 byte order mark at the start of the file.
    ///
    /// - Throws: `JSONError.utf16` for a UTF-16 byte order mark, or text whose zero bytes show it
    ///   is UTF-16 (JSON text starts with ASCII, so every other byte of UTF-16 is zero).
    mutating func skipByteOrderMark() throws(JSONError) {
        try fill(atLeast: 3)
        let first = Array(buffer.pointer[start..<min(end, start + 3)])
        if first == [0xEF, 0xBB, 0xBF] {
            start += 3
            position.byteOffset += 3
        } else if first.starts(with: [0xFF, 0xFE]) || (first.count >= 2 && first[0] != 0 && first[1] == 0) {
            throw .utf16(bigEndian: false)
        } else if first.starts(with: [0xFE, 0xFF]) || (first.count >= 2 && first[0] == 0 && first[1] != 0) {
            throw .utf16(bigEndian: true)
        }
    }

    /// Goes to `position` (one this scanner passed before) to scan from there again.
    mutating func seek(to position: JSONPosition) throws(JSONError) {
        do {
            try source.seek(toOffset: position.byteOffset)
        } catch {
            throw .unreadable(error)
        }
        start = 0
        end = 0
        sourceEnded = false
        bytesRead = position.byteOffset
        afterCR = false
        self.position = position
        tokenStart = position
    }

    // MARK: - Tokens

    /// The next token, after any white space.
    ///
    /// - Throws: `JSONError` for a string or number that breaks JSON's rules, or when the file
    ///   cannot be read.
    mutating func next() throws(JSONError) -> JSONToken {
        var byte: UInt8
        while true {
            guard let next = try peek() else {
                tokenStart = position
                return .end
            }
            byte = next
            guard byte == .space || byte == .tab || byte == .lf || byte == .cr else { break }
            consume(byte)
        }
        tokenStart = position
        switch byte {
        case UInt8(ascii: "{"): return punctuation(.beginObject)
        case UInt8(ascii: "}"): return punctuation(.endObject)
        case UInt8(ascii: "["): return punctuation(.beginArray)
        case UInt8(ascii: "]"): return punctuation(.endArray)
        case UInt8(ascii: ":"): return punctuation(.colon)
        case UInt8(ascii: ","): return punctuation(.comma)
        case .quote:
            consume(byte)
            try readString()
            return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try readNumber()
            return .number
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return try readWord()
        default:
            return .other(byte)
        }
    }

    private mutating func punctuation(_ token: JSONToken) -> JSONToken {
        start += 1
        position.column += 1
        position.byteOffset += 1
        afterCR = false
        return token
    }

    /// Reads a string's content after its opening quote, up to and including the closing one.
    private mutating func readString() throws(JSONError) {
        bytes.removeAll(keepingCapacity: true)
        var allASCII = true
        while true {
            if start == end, try !refill() { throw .unterminatedString(start: tokenStart) }
            // The plain bytes up to the next quote, backslash or control character, in one go.
            let base = buffer.pointer.baseAddress!
            var index = start
            while index < end {
                let byte = base[index]
                if byte == .quote || byte == .backslash || byte < 0x20 { break }
                if byte >= 0x80 { allASCII = false }
                index += 1
            }
            if index > start {
                let count = index - start
                guard bytes.count + count <= Self.maxValueBytes else {
                    throw .valueTooLong(start: tokenStart, limit: Self.maxValueBytes)
                }
                bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count))
                start = index
                position.column += count
                position.byteOffset += count
                afterCR = false
            }
            guard index < end else { continue }
            let byte = base[index]
            if byte == .quote {
                consume(byte)
                break
            }
            guard byte == .backslash else { throw .controlCharacterInString(byte, at: position) }
            try readEscape()
            guard bytes.count <= Self.maxValueBytes else {
                throw .valueTooLong(start: tokenStart, limit: Self.maxValueBytes)
            }
        }
        if !allASCII, String(validating: bytes, as: UTF8.self) == nil { throw .notUTF8(start: tokenStart) }
    }

    /// Reads one escape, from its backslash, and appends what it stands for to `bytes`.
    private mutating func readEscape() throws(JSONError) {
        let escapeStart = position
        consume(.backslash)
        guard let letter = try peek() else { throw .unterminatedString(start: tokenStart) }
        let simple: UInt8? =
            switch letter {
            case .quote, .backslash, UInt8(ascii: "/"): letter
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): .lf
            case UInt8(ascii: "r"): .cr
            case UInt8(ascii: "t"): .tab
            default: nil
            }
        if let simple {
            consume(letter)
            bytes.append(simple)
            return
        }
        guard letter == UInt8(ascii: "u") else {
            let written = letter < 0x20 || letter >= 0x80 ? "\\" : "\\" + String(UnicodeScalar(letter))
            throw .invalidEscape(written, at: escapeStart)
        }
        consume(letter)
        let unit = try readHexUnit(escapeStart: escapeStart)
        var scalar: Unicode.Scalar?
        switch unit {
        case 0xD800...0xDBFF:
            // A high surrogate needs a `\uDC00`…`\uDFFF` right after it.
            let lowStart = position
            guard try peek() == .backslash else { throw .loneSurrogate(Self.escape(unit), at: escapeStart) }
            consume(.backslash)
            guard try peek() == UInt8(ascii: "u") else { throw .loneSurrogate(Self.escape(unit), at: escapeStart) }
            consume(UInt8(ascii: "u"))
            let low = try readHexUnit(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else { throw .loneSurrogate(Self.escape(unit), at: escapeStart) }
            scalar = Unicode.Scalar(0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00))
        case 0xDC00...0xDFFF:
            throw .loneSurrogate(Self.escape(unit), at: escapeStart)
        default:
            scalar = Unicode.Scalar(unit)
        }
        if let scalar { bytes.append(contentsOf: UTF8.encode(scalar)!) }
    }

    /// The four hex digits after `\u`.
    private mutating func readHexUnit(escapeStart: JSONPosition) throws(JSONError) -> UInt16 {
        var unit: UInt16 = 0
        var written = "\\u"
        for _ in 0..<4 {
            guard let byte = try peek() else { throw .unterminatedString(start: tokenStart) }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                if byte >= 0x20, byte < 0x80, byte != .quote { written.append(Character(UnicodeScalar(byte))) }
                throw .invalidEscape(written, at: escapeStart)
            }
            written.append(Character(UnicodeScalar(byte)))
            consume(byte)
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// `\uD83D`, as a message shows a surrogate.
    private static func escape(_ unit: UInt16) -> String {
        "\\u" + JSONError.hex(UInt8(unit >> 8)) + JSONError.hex(UInt8(unit & 0xFF))
    }

    /// Reads the characters a number may hold, then checks them against JSON's number grammar:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func readNumber() throws(JSONError) {
        bytes.removeAll(keepingCapacity: true)
        while let byte = try peek(), Self.isNumberByte(byte) {
            guard bytes.count < Self.maxValueBytes else {
                throw .valueTooLong(start: tokenStart, limit: Self.maxValueBytes)
            }
            bytes.append(byte)
            consume(byte)
        }
        guard Self.isNumber(bytes) else { throw .invalidNumber(text, at: tokenStart) }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }

    /// Whether `text` follows JSON's number grammar.
    static func isNumber(_ text: [UInt8]) -> Bool {
        var index = 0
        func isDigit(_ at: Int) -> Bool { at < text.count && (0x30...0x39).contains(text[at]) }
        func digits() -> Bool {
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
            return true
        }
        if index < text.count, text[index] == UInt8(ascii: "-") { index += 1 }
        if index < text.count, text[index] == UInt8(ascii: "0") {
            index += 1
        } else if !digits() {
            return false
        }
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() else { return false }
        }
        if index < text.count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() else { return false }
        }
        return index == text.count
    }

    /// Reads a run of ASCII letters: `true`, `false`, `null`, or a word JSON does not know (the
    /// first `wordLimit` letters kept for the message).
    private mutating func readWord() throws(JSONError) -> JSONToken {
        bytes.removeAll(keepingCapacity: true)
        while let byte = try peek(),
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        {
            if bytes.count < Self.wordLimit { bytes.append(byte) }
            consume(byte)
        }
        switch bytes {
        case Array("true".utf8): return .trueLiteral
        case Array("false".utf8): return .falseLiteral
        case Array("null".utf8): return .null
        default: return .word
        }
    }

    /// Letters of an unknown word a message repeats.
    static let wordLimit = 40

    // MARK: - Bytes

    /// The next byte without consuming it; `nil` at the end of the input.
    @inline(__always)
    private mutating func peek() throws(JSONError) -> UInt8? {
        if start == end, try !refill() { return nil }
        return buffer.pointer[start]
    }

    /// Consumes the byte `peek()` returned, moving the position past it.
    @inline(__always)
    private mutating func consume(_ byte: UInt8) {
        start += 1
        position.byteOffset += 1
        if byte == .lf {
            if !afterCR { position.line += 1 }
            position.column = 1
            afterCR = false
        } else if byte == .cr {
            position.line += 1
            position.column = 1
            afterCR = true
        } else {
            position.column += 1
            afterCR = false
        }
    }

    /// Reads the next block into the empty buffer; `false` at the end of the input.
    private mutating func refill() throws(JSONError) -> Bool {
        start = 0
        end = 0
        try fill(atLeast: 1)
        return end > 0
    }

    /// Moves unread bytes to the front and reads until at least `count` are there or the input ends.
    private mutating func fill(atLeast count: Int) throws(JSONError) {
        if start > 0 {
            let kept = end - start
            buffer.pointer.baseAddress!.update(from: buffer.pointer.baseAddress! + start, count: kept)
            start = 0
            end = kept
        }
        while end - start < count, !sourceEnded {
            let free = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer.pointer[end...]))
            let read: Int
            do {
                read = try source.read(into: free)
            } catch {
                throw .unreadable(error)
            }
            if read == 0 { sourceEnded = true }
            end += read
            bytesRead += read
            if bytesRead > maxBytes { throw .tooLarge(limit: maxBytes) }
        }
    }
}

/// The scanner's read buffer, freed with its last user.
private final class ScanBuffer {
    let pointer: UnsafeMutableBufferPointer<UInt8>

    init(count: Int) {
        pointer = .allocate(capacity: count)
    }

    deinit {
        pointer.deallocate()
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
    fileprivate static let lf = UInt8(ascii: "\n")
    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let backslash = UInt8(ascii: "\\")
}
