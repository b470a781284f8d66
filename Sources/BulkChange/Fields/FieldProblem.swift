/// Why one value is not acceptable, before anyone knows which column it came from.
///
/// `RowRejection(spec:value:problem:)` adds the column and the value.
public struct FieldProblem: Error, Equatable, Sendable {
    /// What is wrong (`not a date`).
    public var message: String
    /// How to fix it (`use YYYY-MM-DD`), when there is something to say.
    public var hint: String?

    /// A problem with `message` and an optional `hint`.
    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
