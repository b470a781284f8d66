/// Excel's escape for characters XML cannot hold: `_xHHHH_` stands for the character with that
/// hexadecimal code (`_x000D_` is a carriage return), and `_x005F_` for a literal `_`.
enum ExcelText {
    /// `text` with each `_xHHHH_` replaced by its character.
    static func decoded(_ text: String) -> String {
        guard text.utf8.count >= 7, text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + 7 <= scalars.count, scalars[index] == "_", scalars[index + 1] == "x", scalars[index + 6] == "_",
                let code = UInt32(String(String.UnicodeScalarView(scalars[index + 2..<index + 6])), radix: 16),
                let scalar = Unicode.Scalar(code)
            {
                result.append(scalar)
                index += 7
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }

    /// `text` with the characters XML 1.0 cannot hold (control characters other than tab, line
    /// feed and carriage return) written as `_xHHHH_`, and a literal `_x` guarded as `_x005F_x`.
    static func encoded(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) }) || text.contains("_x") else { return text }
        var result = ""
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if needsEscape(scalar) {
                result += "_x" + hex4(scalar.value) + "_"
            } else if scalar == "_", pending == "x" {
                result += "_x005F_"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0xFFFE
            || scalar.value == 0xFFFF
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
