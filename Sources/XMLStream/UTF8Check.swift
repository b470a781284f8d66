/// How a run of fed bytes measures up as the text of an XML document.
enum UTF8Check: Equatable {
    /// Every byte belongs to a complete, well-formed sequence.
    case valid
    /// Well formed up to `from`, where a sequence starts that the end of the bytes cuts short.
    case incomplete(from: Int)
    /// The byte at `at` starts an ill-formed sequence.
    case invalid(at: Int)
    /// The byte at `at` is 0, which XML does not allow.
    case nul(at: Int)
}

/// Checks `bytes` against the UTF-8 rules (no overlong forms, no surrogates, nothing above
/// U+10FFFF) and for NUL bytes.
///
/// ASCII, the common case, is passed eight bytes at a time: a word with no high bit and no zero
/// byte needs no further look.
func checkUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> UTF8Check {
    guard let base = bytes.baseAddress else { return .valid }
    let count = bytes.count
    var index = 0
    while index < count {
        if index &+ 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let highBits: UInt64 = 0x8080_8080_8080_8080
            let zeroBytes = (word &- 0x0101_0101_0101_0101) & ~word & highBits
            if (word & highBits) | zeroBytes == 0 {
                index &+= 8
                continue
            }
        }
        let lead = base[index]
        if lead < 0x80 {
            if lead == 0 { return .nul(at: index) }
            index &+= 1
            continue
        }
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; second = 0x80...0x8F
        default: return .invalid(at: index)
        }
        for continuation in 1..<length {
            guard index &+ continuation < count else { return .incomplete(from: index) }
            let allowed = continuation == 1 ? second : 0x80...0xBF
            guard allowed.contains(base[index &+ continuation]) else { return .invalid(at: index) }
        }
        index &+= length
    }
    return .valid
}
