/// Excel's escape for characters XML cannot hold: `_xHHHH_` stands for the character with that
/// hexadecimal code (`_x000D_` is a carriage return), and `_x005F_` for a literal `_`.
enum ExcelText {
    /// `text` with each `_xHHHH_` replaced by its character.
    static func decoded(_ text: String) -> String {
        guard text.utf8.count >= 7, hasEscapeStart(text) else { return text }
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

    /// Whether `_x` occurs in `text`, checked on its bytes (most texts have no `_` at all).
    private static func hasEscapeStart(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            var index = 0
            while index + 1 < utf8.count {
                if utf8[index] == UInt8(ascii: "_"), utf8[index + 1] == UInt8(ascii: "x") { return true }
                index += 1
            }
            return false
        }
    }
}
