/// The Luhn check digit ICCIDs and IMEIs end with.
public enum Luhn {
    /// The digit that makes `digits` + it pass the Luhn check.
    public static func checkDigit(for digits: some StringProtocol) -> Character {
        var text = String(digits)
        let value = text.withUTF8 { checkValue(of: $0) }
        return Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8(value)))
    }

    /// Whether `digits` (ASCII decimal digits only) ends with its Luhn check digit.
    public static func isValid(_ digits: some StringProtocol) -> Bool {
        // Walked as contiguous UTF-8 (a `String` argument is not copied).
        var text = String(digits)
        return text.withUTF8 { bytes in
            guard bytes.count > 1, bytes.allSatisfy(isDigit) else { return false }
            let last = bytes.count - 1
            return checkValue(of: UnsafeBufferPointer(rebasing: bytes[..<last]))
                == Int(bytes[last] &- UInt8(ascii: "0"))
        }
    }

    /// The check digit's value for the ASCII digits `bytes` (a byte that is no digit counts 0).
    private static func checkValue(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var sum = 0
        var doubled = true
        for byte in bytes.reversed() {
            var value = isDigit(byte) ? Int(byte &- UInt8(ascii: "0")) : 0
            if doubled {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
            doubled.toggle()
        }
        return (10 - sum % 10) % 10
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

extension Character {
    /// `0`–`9` only (not other Unicode digits).
    public var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
