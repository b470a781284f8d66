import Foundation

/// Checks shared by the configuration's types: each gives the problem, or `nil` when the value is fine.
enum ConfigurationCheck {
    static func atLeast(_ minimum: Int, _ value: Int, _ path: String) -> ConfigurationProblem? {
        value >= minimum ? nil : .outOfRange(path: path, value: "\(value)", allowed: "\(minimum) or more")
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
