/// How a chunk of bytes measures up as UTF-8.
enum UTF8Scan: Equatable {
    /// Every byte belongs to a complete, well-formed sequence.
    case valid
    /// The chunk is well formed up to `from`, where a sequence starts that the chunk cuts short.
    case incomplete(from: Int)
    /// The byte at `at` starts an ill-formed sequence.
    case invalid(at: Int)
}

/// Checks `bytes` against the UTF-8 rules (no overlong forms, no surrogates, nothing above U+10FFFF).
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
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return .invalid(at: index)
        }
        for continuation in 1..<length {
            guard index + continuation < count else { return .incomplete(from: index) }
            let byte = base[index + continuation]
            let allowed = continuation == 1 ? secondRange : 0x80...0xBF
            guard allowed.contains(byte) else { return .invalid(at: index) }
        }
        index += length
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
