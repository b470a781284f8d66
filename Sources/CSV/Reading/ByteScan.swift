/// Finding the next byte the parser must look at, eight bytes at a time.
///
/// The parser spends most of its time skipping ordinary bytes inside fields; comparing one
/// 64-bit word against three byte values at once ("SWAR") makes that several times cheaper than
/// a byte loop, with no platform intrinsics.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first byte in `base[start..<end]` equal to `a`, `b` or `c`, or `end`.
    @inline(__always)
    static func firstIndex(
        of a: UInt8, _ b: UInt8, _ c: UInt8,
        in base: UnsafePointer<UInt8>, from start: Int, to end: Int
    ) -> Int {
        let patternA = UInt64(a) &* ones
        let patternB = UInt64(b) &* ones
        let patternC = UInt64(c) &* ones
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let matches = zeroBytes(word ^ patternA) | zeroBytes(word ^ patternB) | zeroBytes(word ^ patternC)
            if matches != 0 { return index + matches.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < end {
            let byte = base[index]
            if byte == a || byte == b || byte == c { return index }
            index += 1
        }
        return end
    }

    /// The high bit set in each byte of `word` that is zero. A borrow can also mark a byte above
    /// a zero byte, never one below, so the lowest mark is always exact.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }
}
