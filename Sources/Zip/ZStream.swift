internal import CZlib

/// One zlib stream of raw deflate data (no zlib or gzip wrapper, as inside a zip archive), for
/// inflating or for deflating; ended in `deinit`.
///
/// zlib's state points back at its `z_stream`, so the struct lives at an address allocated here,
/// never moved. Between calls it points at no buffer of ours.
final class ZStream {
    enum Direction {
        case inflate
        /// Deflate at zlib `level`, 0 (store) to 9 (smallest).
        case deflate(level: Int32)
    }

    /// What one call of `inflate` or `deflate` did.
    struct Step {
        let code: Int32
        let consumed: Int
        let produced: Int
    }

    let direction: Direction
    /// Named in every error.
    var entry: String
    private let stream: UnsafeMutablePointer<z_stream>

    init(_ direction: Direction, entry: String) throws(ZipError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        self.direction = direction
        self.entry = entry
        // A failed init leaves no zlib state behind, and `inflateEnd`/`deflateEnd` in `deinit`
        // then only report that.
        switch direction {
        case .inflate: try check(czlib_inflate_init_raw(stream), "starting to inflate")
        case .deflate(let level): try check(czlib_deflate_init_raw(stream, level), "starting to deflate")
        }
    }

    deinit {
        switch direction {
        case .inflate: inflateEnd(stream)
        case .deflate: deflateEnd(stream)
        }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Starts a new stream for `entry`, keeping the memory zlib allocated.
    func reset(entry: String) throws(ZipError) {
        self.entry = entry
        switch direction {
        case .inflate: try check(inflateReset(stream), "starting to inflate")
        case .deflate: try check(deflateReset(stream), "starting to deflate")
        }
    }

    /// One call of `inflate` or `deflate` from `input` into `output` (which must not be empty);
    /// `finish` tells deflate that no more input follows. The code is zlib's, unchecked: `Z_BUF_ERROR`
    /// only means no progress was possible, which the caller judges.
    func step(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer, finish: Bool) -> Step {
        // zlib counts in 32 bits; what does not fit waits for the next call.
        let inputCount = min(input.count, Int(UInt32.max))
        let outputCount = min(output.count, Int(UInt32.max))
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(inputCount)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(outputCount)
        let code =
            switch direction {
            case .inflate: inflate(stream, Z_NO_FLUSH)
            case .deflate: deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
            }
        let step = Step(
            code: code, consumed: inputCount - Int(stream.pointee.avail_in),
            produced: outputCount - Int(stream.pointee.avail_out))
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        return step
    }

    /// Passes zlib's success codes through and throws every other one as `ZipError.zlib`, with
    /// the operation, the entry and zlib's own message.
    @discardableResult
    func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(ZipError) -> Int32 {
        switch code {
        case Z_OK, Z_STREAM_END:
            return code
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? String(cString: zError(code))
            throw .zlib(operation: operation(), entry: entry, code: code, message: message)
        }
    }
}

/// zlib's CRC-32, the checksum a zip archive keeps for each entry.
enum CRC32 {
    /// `crc` carried on over `bytes`; start from 0.
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        // zlib answers 0 for a null buffer, whatever the CRC so far.
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return UInt32(truncatingIfNeeded: crc32_z(UInt(crc), base.assumingMemoryBound(to: Bytef.self), bytes.count))
    }
}
