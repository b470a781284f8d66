/// Checks for the plain values a row may carry: numbers, whole numbers, yes/no and SIM statuses.
public enum ValueCheck {
    /// A number of 0 or more: digits with an optional decimal part after a dot (`250`, `0.5`).
    ///
    /// - Throws: `FieldProblem` for anything else, including signs, exponents and decimal commas.
    public static func number(_ text: String) throws(FieldProblem) -> Double {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }), let value = Double(text) else {
            throw FieldProblem(
                "not a number of 0 or more", hint: "write digits, with a dot before decimals (250 or 0.5)")
        }
        return value
    }

    /// A whole number of 0 or more (`90`).
    ///
    /// - Throws: `FieldProblem` for anything else, or a number too large to hold.
    public static func integer(_ text: String) throws(FieldProblem) -> Int {
        guard text.allSatisfy(\.isASCIIDigit), let value = Int(text) else {
            throw FieldProblem("not a whole number", hint: "write digits only (90)")
        }
        return value
    }

    /// `true`/`false`, `yes`/`no` or `1`/`0`, in any case.
    ///
    /// - Throws: `FieldProblem` for anything else.
    public static func boolean(_ text: String) throws(FieldProblem) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw FieldProblem("not true or false", hint: "use true or false (yes/no and 1/0 work too)")
        }
    }

    /// A SIM status by name, in any case, with spaces or hyphens for underscores (`activation ready`).
    ///
    /// - Throws: `FieldProblem` naming the statuses an account may set.
    public static func status(_ text: String) throws(FieldProblem) -> SIMStatus {
        guard let status = SIMStatus(name: text) else {
            throw FieldProblem("not a SIM status", hint: settableStatusesHint)
        }
        return status
    }

    /// `use one of ACTIVATED, ACTIVATION_READY, …`: the statuses an account may set.
    public static let settableStatusesHint =
        "use one of "
        + SIMStatus.allCases.filter(\.isSettableByAccount).map(\.rawValue).sorted().joined(separator: ", ")
}
