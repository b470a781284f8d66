internal import CZlib

/// The uncompressed bytes of one entry, inflated as they are read.
///
/// Memory stays at the size of each read plus an input buffer of at most 64 KiB (and zlib's own
/// window). The output is held to the declared size, the entry's limits and, at the end, the
/// declared CRC-32; the first failure is thrown again on every later read.
public final class ZipEntryStream {
    /// Compressed bytes read from the archive at a time.
    static let inputBufferSize = 64 << 10

    /// The entry being read.
    public let entry: ZipEntry
    private let source: ZipSource
    private let limits: ZipLimits
    /// `nil` for a stored entry, whose bytes are copied as they are.
    private let inflater: ZStream?
    private var input: [UInt8]
    /// The part of `input` not yet inflated.
    private var inputStart = 0
    private var inputEnd = 0
    /// The next compressed byte to read from the archive.
    private var nextOffset: Int64
    private var produced: Int64 = 0
    private var crc: UInt32 = 0
    /// The deflate stream ended, or every stored byte was read.
    private var dataEnded = false
    /// The data ended and its size and CRC-32 checked out.
    private var done = false
    private var failure: ZipError?

    /// A stream over `entry`'s data in `source`, refused at once when the declared size breaks
    /// `limits`.
    init(entry: ZipEntry, source: ZipSource, limits: ZipLimits) throws(ZipError) {
        try limits.check(entry, expandingTo: entry.uncompressedSize)
        self.entry = entry
        self.source = source
        self.limits = limits
        nextOffset = entry.dataOffset
        switch entry.method {
        case .stored:
            inflater = nil
            input = []
        case .deflated:
            inflater = try ZStream(.inflate, entry: entry.name)
            input = [UInt8](repeating: 0, count: Int(min(Int64(Self.inputBufferSize), entry.compressedSize)))
        }
    }

    /// Up to `maxCount` more uncompressed bytes; empty once the entry is done (its CRC-32 and size
    /// are checked then).
    ///
    /// - Throws: `ZipError` when the data is damaged, inflates past its declared size or a
    ///   limit, ends short, or does not match its CRC-32; the same error on every later call.
    public func read(upTo maxCount: Int) throws(ZipError) -> [UInt8] {
        if let failure { throw failure }
        guard !done, maxCount > 0 else { return [] }
        do throws(ZipError) {
            // One byte more than declared is room enough to catch data that goes on.
            let capacity = Int(min(Int64(maxCount), entry.uncompressedSize - produced + 1))
            let bytes = try [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count throws(ZipError) in
                count = try fill(UnsafeMutableRawBufferPointer(buffer))
            }
            try account(for: bytes)
            return bytes
        } catch {
            failure = error
            throw error
        }
    }

    private var compressedLeft: Int64 { entry.dataOffset + entry.compressedSize - nextOffset }

    /// Fills `output` until it is full or the data ends; the number of bytes written.
    private func fill(_ output: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
        guard let inflater else {
            let count = Int(min(Int64(output.count), compressedLeft))
            try source.read(at: nextOffset, into: UnsafeMutableRawBufferPointer(rebasing: output[..<count]))
            nextOffset += Int64(count)
            dataEnded = compressedLeft == 0
            return count
        }
        var filled = 0
        while filled < output.count && !dataEnded {
            if inputStart == inputEnd && compressedLeft > 0 { try refill() }
            let step = input.withUnsafeBytes { bytes in
                inflater.step(
                    UnsafeRawBufferPointer(rebasing: bytes[inputStart..<inputEnd]),
                    UnsafeMutableRawBufferPointer(rebasing: output[filled...]), finish: false)
            }
            inputStart += step.consumed
            filled += step.produced
            switch step.code {
            case Z_STREAM_END:
                dataEnded = true
            case Z_BUF_ERROR:
                // No progress with room to write: every compressed byte went in, and the stream
                // wants more.
                throw .compressedDataTruncated(entry: entry.name)
            default:
                try inflater.check(step.code, "inflating")
            }
        }
        return filled
    }

    /// Reads the next compressed bytes into `input`.
    private func refill() throws(ZipError) {
        let count = Int(min(Int64(input.count), compressedLeft))
        try input.withUnsafeMutableBufferPointer { buffer throws(ZipError) in
            try source.read(
                at: nextOffset,
                into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<count])))
        }
        nextOffset += Int64(count)
        inputStart = 0
        inputEnd = count
    }

    /// Counts `bytes` against the declared size and the limits, and checks size and CRC-32 once
    /// the data has ended.
    private func account(for bytes: [UInt8]) throws(ZipError) {
        produced += Int64(bytes.count)
        crc = bytes.withUnsafeBytes { CRC32.update(crc, $0) }
        if produced > entry.uncompressedSize {
            throw .longerThanDeclared(entry: entry.name, declared: entry.uncompressedSize)
        }
        // The declared size passed these limits; the bytes actually produced must too.
        try limits.check(entry, expandingTo: produced)
        guard dataEnded else { return }
        if produced < entry.uncompressedSize {
            throw .shorterThanDeclared(entry: entry.name, declared: entry.uncompressedSize, actual: produced)
        }
        if crc != entry.crc32 { throw .checksumMismatch(entry: entry.name, declared: entry.crc32, actual: crc) }
        done = true
    }
}
