// The fuzz scripts compile the reader and UTF8Rules as one module, where there is none to import.
#if canImport(UTF8Rules)
    import UTF8Rules
#endif

/// How a chunk of bytes measures up as UTF-8.
enum UTF8Scan: Equatable {
    /// Every byte belongs to a complete, well-formed sequence.
    case valid
    /// The chunk is well formed up to `from`, where a sequence starts that the chunk cuts short.
    case incomplete(from: Int)
    /// The byte at `at` starts an ill-formed sequence.
    case invalid(at: Int)
}

/// Checks `bytes` against the UTF-8 rules (`UTF8Sequence`).
///
/// ASCII, the common case, is skipped eight bytes at a time, and once eight bytes were ASCII,
/// 64 at a time (four 16-byte vectors OR-ed together) for as long as that lasts.
func scanUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> UTF8Scan {
    guard let base = bytes.baseAddress else { return .valid }
    let count = bytes.count
    var index = 0
    while index < count {
        if index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 == 0 {
                index += 8
                while index &+ 64 <= count, isASCII64(base + index) { index &+= 64 }
                continue
            }
        }
        let lead = base[index]
        if lead < 0x80 {
            index += 1
            continue
        }
        switch UTF8Sequence.check(base, at: index, count: count) {
        case .complete(let length): index += length
        case .cutShort: return .incomplete(from: index)
        case .invalid: return .invalid(at: index)
        }
    }
    return .valid
}

/// Whether the 64 bytes at `start` are all ASCII.
@inline(__always)
private func isASCII64(_ start: UnsafePointer<UInt8>) -> Bool {
    let raw = UnsafeRawPointer(start)
    let any =
        raw.loadUnaligned(as: SIMD2<UInt64>.self)
        | raw.loadUnaligned(fromByteOffset: 16, as: SIMD2<UInt64>.self)
        | raw.loadUnaligned(fromByteOffset: 32, as: SIMD2<UInt64>.self)
        | raw.loadUnaligned(fromByteOffset: 48, as: SIMD2<UInt64>.self)
    return (any[0] | any[1]) & 0x8080_8080_8080_8080 == 0
}
