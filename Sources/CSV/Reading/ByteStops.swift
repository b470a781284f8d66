/// The three or four byte values that end a run of ordinary bytes, compared sixteen bytes at a time.
///
/// The parser spends most of its time on ordinary bytes inside fields, the writer on deciding
/// whether a field needs quotes. One 16-byte SIMD load, a compare per stop byte and ORs tell
/// whether any of the sixteen is a stop byte (SSE2 on
/// x86-64, NEON on ARM, no intrinsics); the first one is then the lowest marked byte of the
/// compare result, read as two 64-bit words. Only the last few bytes of a chunk, where a full
/// vector would read past it, are looked at one at a time.
struct ByteStops {
    let a: UInt8
    let b: UInt8
    let c: UInt8
    /// A fourth stop, or `c` again when there are three.
    let d: UInt8
    private let vectorA: SIMD16<UInt8>
    private let vectorB: SIMD16<UInt8>
    private let vectorC: SIMD16<UInt8>
    private let vectorD: SIMD16<UInt8>

    init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8? = nil) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d ?? c
        vectorA = SIMD16(repeating: a)
        vectorB = SIMD16(repeating: b)
        vectorC = SIMD16(repeating: c)
        vectorD = SIMD16(repeating: d ?? c)
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        byte == a || byte == b || byte == c || byte == d
    }

    /// The index of the first stop byte in `buffer`, or `buffer.count` when there is none.
    func firstIndex(in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var index = 0
        while index &+ 16 <= buffer.count {
            let found = firstIndex(in: UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<UInt8>.self))
            if found < 16 { return index &+ found }
            index &+= 16
        }
        while index < buffer.count, !contains(base[index]) { index &+= 1 }
        return index
    }

    /// The index (0–15) of the first stop byte in `vector`, or 16 when there is none.
    ///
    /// The comparisons are OR-ed as integer vectors: OR-ing `SIMDMask`s goes through a generic,
    /// element-by-element implementation that the optimiser does not turn into vector code.
    @inline(__always)
    func firstIndex(in vector: SIMD16<UInt8>) -> Int {
        let marks =
            unsafeBitCast(vector .== vectorA, to: SIMD16<UInt8>.self)
            | unsafeBitCast(vector .== vectorB, to: SIMD16<UInt8>.self)
            | unsafeBitCast(vector .== vectorC, to: SIMD16<UInt8>.self)
            | unsafeBitCast(vector .== vectorD, to: SIMD16<UInt8>.self)
        let words = unsafeBitCast(marks, to: SIMD2<UInt64>.self)
        let low = UInt64(littleEndian: words[0])
        if low != 0 { return low.trailingZeroBitCount &>> 3 }
        let high = UInt64(littleEndian: words[1])
        if high != 0 { return 8 &+ high.trailingZeroBitCount &>> 3 }
        return 16
    }
}
