/// One UTF-8 sequence that starts with a byte of 0x80 or more, checked against the rules of
/// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. The CSV and XML readers
/// share it for everything but ASCII, which each skips in its own fast way.
public enum UTF8Sequence: Equatable, Sendable {
    /// A well-formed sequence of `length` bytes.
    case complete(length: Int)
    /// Well formed so far, but the bytes end before the sequence does.
    case cutShort
    /// The lead byte, or one of its continuation bytes, breaks the rules.
    case invalid

    /// Checks the sequence whose lead byte is `base[index]` (0x80 or more) among `count` bytes.
    @inlinable
    public static func check(_ base: UnsafePointer<UInt8>, at index: Int, count: Int) -> UTF8Sequence {
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch base[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; second = 0x80...0x8F
        default: return .invalid
        }
        for continuation in 1..<length {
            guard index &+ continuation < count else { return .cutShort }
            let allowed = continuation == 1 ? second : 0x80...0xBF
            guard allowed.contains(base[index &+ continuation]) else { return .invalid }
        }
        return .complete(length: length)
    }
}
