/// The `--delimiter C` option shared by the commands that read CSV.
enum DelimiterOption {
    static let option = CommandSpec.Option(
        "--delimiter", value: "C", "field separator: , ; | or tab (default: a sep= line, else detected)")

    /// The separator byte named by `--delimiter`, or `nil` when not given.
    ///
    /// - Throws: `UsageError.invalidValue` for anything but one ASCII character or the word `tab`.
    static func value(in arguments: ParsedArguments, command: CommandSpec) throws -> UInt8? {
        guard let text = arguments.options[option.name] else { return nil }
        if text == "tab" || text == "\\t" || text == "\t" { return UInt8(ascii: "\t") }
        let bytes = Array(text.utf8)
        let forbidden: Set<UInt8> = [UInt8(ascii: "\""), UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        guard bytes.count == 1, bytes[0] < 0x80, !forbidden.contains(bytes[0]) else {
            throw UsageError.invalidValue(
                option: option.name, value: text, expected: "one ASCII character other than a quote, or 'tab'",
                command: command.displayName)
        }
        return bytes[0]
    }
}
