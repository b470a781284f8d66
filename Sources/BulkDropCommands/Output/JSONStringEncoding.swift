extension FileOutput {
    /// Writes `bytes` (UTF-8) as a JSON string literal, escaping quotes, backslashes and control characters.
    func writeJSONString(_ bytes: UnsafeBufferPointer<UInt8>) {
        write(byte: UInt8(ascii: "\""))
        var runStart = 0
        for (index, byte) in bytes.enumerated()
        where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            write(bytes: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            write(jsonEscape(for: byte))
            runStart = index + 1
        }
        write(bytes: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        write(byte: UInt8(ascii: "\""))
    }
}

/// The JSON escape for a byte that cannot stand in a string literal as it is.
func jsonEscape(for byte: UInt8) -> String {
    switch byte {
    case UInt8(ascii: "\""): return "\\\""
    case UInt8(ascii: "\\"): return "\\\\"
    case UInt8(ascii: "\n"): return "\\n"
    case UInt8(ascii: "\r"): return "\\r"
    case UInt8(ascii: "\t"): return "\\t"
    default:
        let hex = String(byte, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
