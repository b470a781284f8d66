import Glibc

/// Turns the raw bytes of a file into UTF-8 text for the parser.
///
/// The encoding is settled by the first bytes: a UTF-8 byte order mark is dropped; a UTF-16
/// (little- or big-endian) mark switches to converting UTF-16, and so does the pattern of zero
/// bytes UTF-16 text without a mark has (`guessedUTF16` says so); otherwise the text is taken as
/// UTF-8 and checked as it streams by. At the first byte that is not valid UTF-8 the rest of the
/// input is converted as Windows-1252, and `fallbackIndex` says where in the returned chunk that
/// started, so the reader can warn with a line number. UTF-8 input is read straight into the
/// caller's buffer; only the converting modes go through a scratch buffer.
struct TextDecoder {
    private enum Encoding: Equatable {
        case undetermined, utf8, windows1252, utf16(bigEndian: Bool)
    }

    private var source: any ByteSource
    private var encoding = Encoding.undetermined
    /// Raw bytes read but not yet decoded, at `raw[rawStart..<rawEnd]`.
    private let raw: UnsafeMutableBufferPointer<UInt8>
    private var rawStart = 0
    private var rawEnd = 0
    private var sourceEnded = false
    private var highSurrogate: UInt16?

    /// Set by the `read` call during which Windows-1252 decoding started: the index in the
    /// returned chunk of the first converted byte (possibly the chunk's end).
    private(set) var fallbackIndex: Int?
    /// Set when the text was taken for UTF-16 without a byte order mark (by its zero bytes), to
    /// whether it is big-endian; the reader warns about the guess.
    private(set) var guessedUTF16: Bool?

    /// The smallest output buffer `read` accepts: room for a few whole scalars.
    static let minimumOutput = 16

    init(source: any ByteSource, scratchCapacity: Int) {
        self.source = source
        raw = .allocate(capacity: max(scratchCapacity, Self.minimumOutput))
    }

    /// Frees the scratch buffer; the decoder must not be used afterwards.
    func deallocate() {
        raw.deallocate()
    }

    /// Fills `out` with UTF-8 text and returns the count written; 0 means the input has ended.
    mutating func read(into out: UnsafeMutableBufferPointer<UInt8>) throws(CSVError) -> Int {
        precondition(out.count >= Self.minimumOutput, "decoder output buffer too small")
        fallbackIndex = nil
        if encoding == .undetermined { try detectEncoding() }
        switch encoding {
        case .undetermined, .utf8: return try readUTF8(into: out)
        case .windows1252: return try readWindows1252(into: out, from: 0)
        case .utf16(let bigEndian): return try readUTF16(into: out, bigEndian: bigEndian)
        }
    }

    private mutating func detectEncoding() throws(CSVError) {
        let sampleSize = min(raw.count, Self.sampleSize)
        while rawEnd < sampleSize, try refillRaw() > 0 {}
        let start = Array(raw[0..<rawEnd].prefix(3))
        if start == [0xEF, 0xBB, 0xBF] {
            rawStart = 3
            encoding = .utf8
        } else if start.starts(with: [0xFF, 0xFE]) {
            rawStart = 2
            encoding = .utf16(bigEndian: false)
        } else if start.starts(with: [0xFE, 0xFF]) {
            rawStart = 2
            encoding = .utf16(bigEndian: true)
        } else if let bigEndian = Self.utf16WithoutMark(UnsafeBufferPointer(rebasing: raw[0..<rawEnd])) {
            encoding = .utf16(bigEndian: bigEndian)
            guessedUTF16 = bigEndian
        } else {
            encoding = .utf8
        }
    }

    /// Bytes looked at to tell UTF-16 without a byte order mark from UTF-8.
    static let sampleSize = 4096

    /// Whether `sample` looks like UTF-16 without a byte order mark, and which byte order: text
    /// that is mostly ASCII (a CSV header always is) has a zero byte in every other position in
    /// UTF-16, and UTF-8 text hardly ever holds a zero byte. Little-endian when at least half of
    /// the odd bytes are zero and the even ones almost never are; big-endian the other way round.
    static func utf16WithoutMark(_ sample: UnsafeBufferPointer<UInt8>) -> Bool? {
        let units = sample.count / 2
        guard units > 0 else { return nil }
        var evenZeros = 0
        var oddZeros = 0
        for index in 0..<units * 2 where sample[index] == 0 {
            if index % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        if oddZeros * 2 >= units, evenZeros * 8 <= oddZeros { return false }
        if evenZeros * 2 >= units, oddZeros * 8 <= evenZeros { return true }
        return nil
    }

    /// Moves undecoded bytes to the front of the scratch buffer and reads more after them.
    private mutating func refillRaw() throws(CSVError) -> Int {
        let kept = rawEnd - rawStart
        if rawStart > 0 {
            memmove(raw.baseAddress!, raw.baseAddress! + rawStart, kept)
            rawStart = 0
            rawEnd = kept
        }
        guard !sourceEnded, rawEnd < raw.count else { return 0 }
        let count = try source.read(
            into: UnsafeMutableRawBufferPointer(start: raw.baseAddress! + rawEnd, count: raw.count - rawEnd))
        if count == 0 { sourceEnded = true }
        rawEnd += count
        return count
    }

    private mutating func readUTF8(into out: UnsafeMutableBufferPointer<UInt8>) throws(CSVError) -> Int {
        while true {
            // Bytes held back from the last call (a cut-off sequence, or the first read) go first.
            var filled = min(rawEnd - rawStart, out.count)
            out.baseAddress!.update(from: raw.baseAddress! + rawStart, count: filled)
            rawStart += filled
            if rawStart == rawEnd, filled < out.count, !sourceEnded {
                let free = UnsafeMutableRawBufferPointer(start: out.baseAddress! + filled, count: out.count - filled)
                let count = try source.read(into: free)
                if count == 0 { sourceEnded = true }
                filled += count
            }
            let chunk = UnsafeBufferPointer(rebasing: out[0..<filled])
            switch scanUTF8(chunk) {
            case .valid:
                return filled
            case .incomplete(let from) where !(sourceEnded && rawStart == rawEnd):
                holdBack(out[from..<filled])
                if from > 0 { return from }
            case .incomplete(let at), .invalid(let at):
                holdBack(out[at..<filled])
                encoding = .windows1252
                fallbackIndex = at
                return try readWindows1252(into: out, from: at)
            }
        }
    }

    /// Puts bytes back in front of the undecoded input.
    private mutating func holdBack(_ bytes: Slice<UnsafeMutableBufferPointer<UInt8>>) {
        let rest = Array(raw[rawStart..<rawEnd])
        let combined = Array(bytes) + rest
        precondition(combined.count <= raw.count, "decoder scratch buffer smaller than the output buffer")
        _ = UnsafeMutableBufferPointer(rebasing: raw[0..<combined.count]).initialize(from: combined)
        rawStart = 0
        rawEnd = combined.count
    }

    private mutating func readWindows1252(into out: UnsafeMutableBufferPointer<UInt8>, from start: Int) throws(CSVError)
        -> Int
    {
        let base = out.baseAddress!
        var written = start
        while written + 3 <= out.count {
            if rawStart == rawEnd, try refillRaw() == 0 { break }
            let byte = raw[rawStart]
            rawStart += 1
            if byte < 0x80 {
                base[written] = byte
                written += 1
            } else {
                written += base.storeUTF8(Windows1252.scalar(for: byte), at: written)
            }
        }
        return written
    }

    private mutating func readUTF16(into out: UnsafeMutableBufferPointer<UInt8>, bigEndian: Bool) throws(CSVError)
        -> Int
    {
        let base = out.baseAddress!
        var written = 0
        // Eight bytes of room: a replacement character plus the scalar that follows it.
        while written + 8 <= out.count {
            while rawEnd - rawStart < 2, try refillRaw() > 0 {}
            if rawEnd - rawStart < 2 { break }
            let first = UInt16(raw[rawStart])
            let second = UInt16(raw[rawStart + 1])
            rawStart += 2
            let unit = bigEndian ? first << 8 | second : second << 8 | first
            if let high = highSurrogate {
                highSurrogate = nil
                if (0xDC00...0xDFFF).contains(unit) {
                    let value = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                    written += base.storeUTF8(Unicode.Scalar(value)!, at: written)
                    continue
                }
                written += base.storeUTF8(Self.replacement, at: written)
            }
            if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
            } else {
                written += base.storeUTF8(Unicode.Scalar(unit) ?? Self.replacement, at: written)
            }
        }
        if sourceEnded, rawEnd - rawStart < 2, written + 8 <= out.count {
            // A lone high surrogate or an odd last byte at the very end.
            if highSurrogate != nil {
                highSurrogate = nil
                written += base.storeUTF8(Self.replacement, at: written)
            }
            if rawEnd - rawStart == 1 {
                rawStart = rawEnd
                written += base.storeUTF8(Self.replacement, at: written)
            }
        }
        return written
    }

    private static let replacement = Unicode.Scalar(0xFFFD)!
}
