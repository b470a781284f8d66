/// The Luhn check digit ICCIDs and IMEIs end with.
public enum Luhn {
    /// The digit that makes `digits` + it pass the Luhn check.
    public static func checkDigit(for digits: some StringProtocol) -> Character {
        Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8(checkValue(of: String(digits).utf8))))
    }

    /// Whether `digits` (ASCII decimal digits only) ends with its Luhn check digit.
    public static func isValid(_ digits: some StringProtocol) -> Bool {
        // A `String`'s UTF-8 view walks backwards without a copy (a `String` argument is not copied).
        let bytes = String(digits).utf8
        guard bytes.count > 1, let last = bytes.last, bytes.allSatisfy(isDigit) else { return false }
        return checkValue(of: bytes.dropLast()) == Int(last &- UInt8(ascii: "0"))
    }

    /// The check digit's value for the ASCII digits `bytes` (a byte that is no digit counts 0).
    private static func checkValue(of bytes: some BidirectionalCollection<UInt8>) -> Int {
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
