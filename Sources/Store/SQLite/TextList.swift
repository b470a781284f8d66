/// A list of strings stored in one TEXT column as a JSON array (input columns, a row's cells).
///
/// Written and read by hand: it runs once per input row, where a JSON coder per call costs more
/// than the row's whole insert.
enum TextList {
    static func text(_ list: [String]) -> String {
        var text = "["
        for (index, item) in list.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for scalar in item.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
            text += "\""
        }
        return text + "]"
    }

    /// The list in `text`; nil text is an empty list.
    static func list(_ text: String?, field: String) throws(StoreError) -> [String] {
        guard let text else { return [] }
        var parser = Parser(scalars: Array(text.unicodeScalars))
        guard let list = parser.list() else {
            throw .invalidValue(field: field, value: String(text.prefix(80)), expected: "a JSON array of strings")
        }
        return list
    }

    /// A reader of exactly what `text` writes (and any JSON array of strings).
    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func list() -> [String]? {
            skipSpace()
            guard take("[") else { return nil }
            var items: [String] = []
            skipSpace()
            if take("]") { return atEnd() ? items : nil }
            while true {
                skipSpace()
                guard let item = string() else { return nil }
                items.append(item)
                skipSpace()
                if take("]") { return atEnd() ? items : nil }
                guard take(",") else { return nil }
            }
        }

        private mutating func string() -> String? {
            guard take("\"") else { return nil }
            var result = String.UnicodeScalarView()
            while index < scalars.count {
                let scalar = scalars[index]
                index += 1
                switch scalar {
                case "\"": return String(result)
                case "\\":
                    guard index < scalars.count else { return nil }
                    let escaped = scalars[index]
                    index += 1
                    switch escaped {
                    case "\"", "\\", "/": result.append(escaped)
                    case "n": result.append("\n")
                    case "r": result.append("\r")
                    case "t": result.append("\t")
                    case "b": result.append("\u{8}")
                    case "f": result.append("\u{c}")
                    case "u":
                        guard let unit = hexUnit() else { return nil }
                        if (0xD800..<0xDC00).contains(unit) {
                            guard take("\\"), take("u"), let low = hexUnit(), (0xDC00..<0xE000).contains(low),
                                let combined = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                            else { return nil }
                            result.append(combined)
                        } else {
                            guard let plain = Unicode.Scalar(unit) else { return nil }
                            result.append(plain)
                        }
                    default: return nil
                    }
                default: result.append(scalar)
                }
            }
            return nil
        }

        private mutating func hexUnit() -> UInt32? {
            guard index + 4 <= scalars.count else { return nil }
            let digits = String(String.UnicodeScalarView(scalars[index..<index + 4]))
            index += 4
            return UInt32(digits, radix: 16)
        }

        private mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }

        private mutating func skipSpace() {
            while index < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[index]) { index += 1 }
        }

        private func atEnd() -> Bool {
            var rest = index
            while rest < scalars.count, [" ", "\n", "\r", "\t"].contains(scalars[rest]) { rest += 1 }
            return rest == scalars.count
        }
    }
}
