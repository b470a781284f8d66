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
}
