/// The arguments of one command line, checked against its `CommandSpec`.
struct ParsedArguments: Equatable, Sendable {
    var positionals: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []
    /// `--help` or `-h` was given: show the help and ignore everything else.
    var wantsHelp = false

    /// Checks `arguments` (the words after the command's path) against `spec`.
    ///
    /// Options are `--name value` or `--name=value`; `--` ends the options.
    /// - Throws: `UsageError` naming the first word that does not fit.
    init(_ arguments: [String], spec: CommandSpec) throws {
        var remaining = arguments[...]
        var optionsEnded = false
        while let word = remaining.popFirst() {
            if optionsEnded || !word.hasPrefix("-") || word == "-" {
                positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            if word == "--help" || word == "-h" {
                wantsHelp = true
                continue
            }
            let (name, inlineValue) = Self.split(word)
            if spec.options.contains(where: { $0.name == name }) {
                guard let value = inlineValue ?? remaining.popFirst() else {
                    throw UsageError.missingValue(option: name, command: spec.displayName)
                }
                options[name] = value
            } else if spec.flags.contains(where: { $0.name == name }), inlineValue == nil {
                flags.insert(name)
            } else {
                throw UsageError.unknownOption(word, command: spec.displayName)
            }
        }
        guard !wantsHelp else { return }
        if positionals.count > spec.positionals.count {
            throw UsageError.unexpectedArgument(positionals[spec.positionals.count], command: spec.displayName)
        }
        if positionals.count < spec.positionals.count {
            throw UsageError.missingArgument(spec.positionals[positionals.count], command: spec.displayName)
        }
    }

    private static func split(_ word: String) -> (name: String, value: String?) {
        guard let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }
}

/// A command line that does not fit the command: said in one line with a hint, exit status 2.
enum UsageError: Error, Equatable, CustomStringConvertible {
    case unknownCommand(String)
    case missingCommand
    case unknownOption(String, command: String)
    case missingValue(option: String, command: String)
    case unexpectedArgument(String, command: String)
    case missingArgument(String, command: String)
    case invalidValue(option: String, value: String, expected: String, command: String)
    case conflictingOptions(String, String, command: String)

    var description: String {
        switch self {
        case .unknownCommand(let word):
            "unknown command '\(word)'; see 'bulkdrop --help'"
        case .missingCommand:
            "no command given; see 'bulkdrop --help'"
        case .unknownOption(let word, let command):
            "unknown option '\(word)' for '\(command)'; see '\(command) --help'"
        case .missingValue(let option, let command):
            "option '\(option)' needs a value; see '\(command) --help'"
        case .unexpectedArgument(let word, let command):
            "unexpected argument '\(word)' for '\(command)'; see '\(command) --help'"
        case .missingArgument(let name, let command):
            "missing \(name) for '\(command)'; see '\(command) --help'"
        case .invalidValue(let option, let value, let expected, let command):
            "invalid value '\(value)' for '\(option)': expected \(expected); see '\(command) --help'"
        case .conflictingOptions(let first, let second, let command):
            "options '\(first)' and '\(second)' cannot be used together; see '\(command) --help'"
        }
    }
}
