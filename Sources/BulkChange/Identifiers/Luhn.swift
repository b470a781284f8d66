/// The Luhn check digit ICCIDs and IMEIs end with.
public enum Luhn {
    /// The digit that makes `digits` + it pass the Luhn check.
    public static func checkDigit(for digits: some StringProtocol) -> Character {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            var value = character.wholeNumberValue ?? 0
            if index % 2 == 0 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return Character(String((10 - sum % 10) % 10))
    }

    /// Whether `digits` (ASCII decimal digits only) ends with its Luhn check digit.
    public static func isValid(_ digits: some StringProtocol) -> Bool {
        guard digits.count > 1, let last = digits.last, digits.allSatisfy(\.isASCIIDigit) else { return false }
        return checkDigit(for: digits.dropLast()) == last
    }
}

extension Character {
    /// `0`–`9` only (not other Unicode digits).
    public var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
