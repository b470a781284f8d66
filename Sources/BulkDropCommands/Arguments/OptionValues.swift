/// Typed values of a command's options, with the same one-line error for every bad value.
struct OptionValues {
    private let arguments: ParsedArguments
    private let spec: CommandSpec

    init(_ arguments: ParsedArguments, spec: CommandSpec) {
        self.arguments = arguments
        self.spec = spec
    }

    /// A whole number within `range`, or `nil` when the option was not given.
    func integer(_ option: String, in range: ClosedRange<Int>) throws(UsageError) -> Int? {
        guard let text = arguments.options[option] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw invalid(option, text, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A fraction from 0 to 1, or `nil` when the option was not given.
    func fraction(_ option: String) throws(UsageError) -> Double? {
        guard let text = arguments.options[option] else { return nil }
        guard let value = Double(text), (0...1).contains(value) else {
            throw invalid(option, text, "a number from 0 to 1")
        }
        return value
    }

    /// A comma-separated list (empty when the option was not given).
    func list(_ option: String) -> [String] {
        arguments.options[option]?.split(separator: ",").map { String($0) } ?? []
    }

    private func invalid(_ option: String, _ value: String, _ expected: String) -> UsageError {
        .invalidValue(option: option, value: value, expected: expected, command: spec.displayName)
    }
}
