/// What one command accepts, and its help text.
///
/// Every command declares its options the same way, so parsing, `--help` and the one-line hint
/// for a mistake behave alike everywhere.
struct CommandSpec: Sendable {
    /// The words that select the command after `bulkdrop` (`["bench", "csv"]`).
    let path: [String]
    /// One line for the command list.
    let summary: String
    /// The argument synopsis after the command words, such as `FILE [--delimiter C]`.
    let synopsis: String
    /// Positional argument names, all required, in order.
    let positionals: [String]
    /// Options that take a value, with their help.
    let options: [Option]
    /// Options without a value, with their help.
    let flags: [Option]
    /// Paragraphs after the option list.
    let details: String

    /// One named option and its help line.
    struct Option: Sendable {
        let name: String
        let valueName: String?
        let help: String

        init(_ name: String, value valueName: String? = nil, _ help: String) {
            self.name = name
            self.valueName = valueName
            self.help = help
        }
    }

    init(
        path: [String], summary: String, synopsis: String, positionals: [String] = [],
        options: [Option] = [], flags: [Option] = [], details: String = ""
    ) {
        self.path = path
        self.summary = summary
        self.synopsis = synopsis
        self.positionals = positionals
        self.options = options
        self.flags = flags
        self.details = details
    }

    var displayName: String { (["bulkdrop"] + path).joined(separator: " ") }

    /// The text `--help` prints.
    var help: String {
        var lines = ["usage: \(displayName) \(synopsis)", "", summary]
        let all = options + flags + [Option("--help", "show this help")]
        lines += ["", "options:"]
        for option in all {
            let left = option.valueName.map { "\(option.name) \($0)" } ?? option.name
            lines.append("  " + left.padding(to: 22) + option.help)
        }
        if !details.isEmpty { lines += ["", details] }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self + "  " : self + String(repeating: " ", count: width - count)
    }
}
