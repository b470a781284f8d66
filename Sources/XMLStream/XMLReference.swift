/// What the text between `&` and `;` stands for.
enum ReferenceResolution: Equatable {
    case character(Unicode.Scalar)
    /// A name other than the five XML predefines (no DTD is read, so none other is defined).
    case unknownEntity
    /// `#…` with bad digits, or for a code point that is not a Unicode scalar value, or U+0000.
    case invalidCharacter
}

/// The five entities XML defines without a DTD.
private let predefinedEntities: [(name: String, character: Unicode.Scalar)] = [
    ("lt", "<"), ("gt", ">"), ("amp", "&"), ("quot", "\""), ("apos", "'"),
]

/// Resolves the body of a reference: `lt`, `gt`, `amp`, `quot`, `apos`, `#DDD` or `#xHHH`.
func resolveReference(_ body: [UInt8]) -> ReferenceResolution {
    guard body.first == UInt8(ascii: "#") else {
        let entity = predefinedEntities.first { body.elementsEqual($0.name.utf8) }
        return entity.map { .character($0.character) } ?? .unknownEntity
    }
    let hex = body.count > 1 && body[1] == UInt8(ascii: "x")
    let digits = body.dropFirst(hex ? 2 : 1)
    guard !digits.isEmpty else { return .invalidCharacter }
    var code: UInt32 = 0
    for digit in digits {
        guard let number = digitValue(digit, hex: hex) else { return .invalidCharacter }
        code = code &* (hex ? 16 : 10) &+ number
        // Past U+10FFFF already: stop before the arithmetic wraps around (leading zeros are fine).
        if code > 0x10FFFF { return .invalidCharacter }
    }
    guard code != 0, let scalar = Unicode.Scalar(code) else { return .invalidCharacter }
    return .character(scalar)
}

private func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}
