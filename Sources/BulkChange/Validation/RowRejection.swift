/// Why one input row is REJECTED: the column and value at fault (when there is one), what is
/// wrong and how to fix it.
///
/// The description is what the errors file shows, for example
/// `target_status "ACTIVE": not a SIM status; use one of ACTIVATED, ACTIVATION_READY, …`.
public struct RowRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The canonical name of the column at fault, or `nil` for the row as a whole.
    public var column: String?
    /// The value at fault, as the input had it (trimmed).
    public var value: String?
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String?

    /// A rejection; `column` and `value` name what is at fault when it is one cell.
    public init(column: String? = nil, value: String? = nil, message: String, hint: String? = nil) {
        self.column = column
        self.value = value
        self.message = message
        self.hint = hint
    }

    /// A rejection of `value` in the column `spec` for `problem`.
    public init(_ spec: FieldSpec, value: String?, problem: FieldProblem) {
        self.init(column: spec.name, value: value, message: problem.message, hint: problem.hint)
    }

    /// `column "value": message; hint`, leaving out what is not known; a long value is cut
    /// (`Echo.quoted(_:)`).
    public var description: String {
        var text = ""
        text.reserveCapacity(
            (column?.utf8.count ?? 0) + (value?.utf8.count ?? 0) + message.utf8.count + (hint?.utf8.count ?? 0) + 8)
        if let column { text += column }
        if let value { text += (text.isEmpty ? "" : " ") + Echo.quoted(value) }
        text += (text.isEmpty ? "" : ": ") + message
        if let hint { text += "; " + hint }
        return text
    }
}
