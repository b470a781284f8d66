// The fuzz scripts compile the reader and UTF8Rules as one module, where there is none to import.
#if canImport(UTF8Rules)
    import UTF8Rules
#endif

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

/// Checks `bytes` against the UTF-8 rules (`UTF8Sequence`) and for NUL bytes.
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
        switch UTF8Sequence.check(base, at: index, count: count) {
        case .complete(let length): index &+= length
        case .cutShort: return .incomplete(from: index)
        case .invalid: return .invalid(at: index)
        }
    }
    return .valid
}
