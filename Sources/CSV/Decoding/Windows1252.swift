/// Windows-1252, the encoding Excel on Western Windows saves "CSV" in.
enum Windows1252 {
    /// Unicode scalars for 0x80...0x9F; the rest of the range maps to the same code point (Latin-1).
    /// The five bytes Windows leaves undefined map to the C1 controls of the same value, as browsers do.
    private static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode scalar for one Windows-1252 byte.
    static func scalar(for byte: UInt8) -> Unicode.Scalar {
        if (0x80...0x9F).contains(byte) {
            return Unicode.Scalar(high[Int(byte - 0x80)])!
        }
        return Unicode.Scalar(byte)
    }
}

extension UnsafeMutablePointer<UInt8> {
    /// Writes `scalar` as UTF-8 at `self[at]` and returns how many bytes it took (1 to 4).
    @inline(__always)
    func storeUTF8(_ scalar: Unicode.Scalar, at index: Int) -> Int {
        var written = 0
        for unit in UTF8.encode(scalar)! {
            self[index + written] = unit
            written += 1
        }
        return written
    }
}
