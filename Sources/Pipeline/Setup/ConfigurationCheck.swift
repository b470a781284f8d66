import BulkChange
import Foundation

/// Checks shared by the configuration's types: each gives the problem, or `nil` when the value is fine.
enum ConfigurationCheck {
    /// `minimum` or more (and, when given, at most `maximum`).
    static func atLeast(_ minimum: Int, _ value: Int, _ path: String, maximum: Int? = nil) -> ConfigurationProblem? {
        if value >= minimum, maximum.map({ value <= $0 }) ?? true { return nil }
        let allowed = maximum.map { "\(minimum) to \($0)" } ?? "\(minimum) or more"
        return .outOfRange(path: path, value: "\(value)", allowed: allowed)
    }

    /// A name used as a folder name (a tenant's inbox, outbox and claim folders): letters, digits,
    /// `.`, `_` and `-` only, not starting with a dot, so it can never reach outside its folder.
    static func fileName(_ value: String, _ path: String, of what: String) -> ConfigurationProblem? {
        let allowed = value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
        guard value.isEmpty || !allowed || value.hasPrefix(".") else { return nil }
        return .invalidValue(
            path: path, value: Echo.quoted(value),
            expected: "\(what) name of letters, digits, '.', '_' and '-' that does not start with '.', such as \"acme\""
        )
    }

    /// More than 0 (and, when given, at most `maximum`).
    static func positive(_ value: Double, _ path: String, maximum: Double? = nil) -> ConfigurationProblem? {
        if value > 0, maximum.map({ value <= $0 }) ?? value.isFinite { return nil }
        let allowed = maximum.map { "more than 0 and at most \(format($0))" } ?? "more than 0"
        return .outOfRange(path: path, value: format(value), allowed: allowed)
    }

    /// From 0 to `maximum`.
    static func within(_ value: Double, _ path: String, maximum: Double) -> ConfigurationProblem? {
        (0...maximum).contains(value)
            ? nil : .outOfRange(path: path, value: format(value), allowed: "0 to \(format(maximum))")
    }

    static func notEmpty(_ value: String, _ path: String, expected: String) -> ConfigurationProblem? {
        value.trimmingCharacters(in: .whitespaces).isEmpty
            ? .invalidValue(path: path, value: "empty", expected: expected) : nil
    }

    /// `3`, not `3.0`; `0.5` as it is.
    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
