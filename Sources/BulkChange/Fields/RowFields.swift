import Foundation

/// One row's values by canonical column name, with readers that check a value against its
/// `FieldSpec` and turn a bad one into a `RowRejection` naming the column and the value.
///
/// Each reader returns `nil` when the row has no value for the field; `required(_:_:)` turns
/// that into a rejection.
public struct RowFields: Sendable {
    /// Canonical column name → trimmed, non-empty text.
    public var values: FieldValues
    /// The moment dates are judged against.
    public var now: Date

    /// The fields of one row, judged at `now`.
    public init(_ values: FieldValues, now: Date) {
        self.values = values
        self.now = now
    }

    /// The value `read` gives for `spec`, or a rejection when the row has none.
    public func required<Value>(
        _ spec: FieldSpec, _ read: (FieldSpec) throws(RowRejection) -> Value?
    ) throws(RowRejection) -> Value {
        guard let value = try read(spec) else {
            throw RowRejection(column: spec.name, message: "missing", hint: "every row needs one")
        }
        return value
    }

    /// The text, checked against the field's `maxLength`.
    public func text(_ spec: FieldSpec) throws(RowRejection) -> String? {
        try read(spec) { (text: String) throws(FieldProblem) in text }
    }

    /// An ICCID (`IdentifierCheck.iccid(_:)`).
    public func iccid(_ spec: FieldSpec) throws(RowRejection) -> String? {
        try read(spec, IdentifierCheck.iccid)
    }

    /// An IMEI (`IdentifierCheck.imei(_:)`).
    public func imei(_ spec: FieldSpec) throws(RowRejection) -> String? {
        try read(spec, IdentifierCheck.imei)
    }

    /// A SIM status by name (`ValueCheck.status(_:)`).
    public func status(_ spec: FieldSpec) throws(RowRejection) -> SIMStatus? {
        try read(spec, ValueCheck.status)
    }

    /// A number of 0 or more.
    public func number(_ spec: FieldSpec) throws(RowRejection) -> Double? {
        try read(spec, ValueCheck.number)
    }

    /// A yes/no value.
    public func boolean(_ spec: FieldSpec) throws(RowRejection) -> Bool? {
        try read(spec, ValueCheck.boolean)
    }

    /// A whole number within `range`.
    public func integer(_ spec: FieldSpec, in range: ClosedRange<Int>) throws(RowRejection) -> Int? {
        guard let value = try read(spec, ValueCheck.integer) else { return nil }
        guard range.contains(value) else {
            throw RowRejection(
                spec, value: values[spec.name],
                problem: FieldProblem("must be from \(range.lowerBound) to \(range.upperBound)"))
        }
        return value
    }

    /// A date (`DateCheck.parse(_:)`).
    public func date(_ spec: FieldSpec) throws(RowRejection) -> FieldDate? {
        try read(spec, DateCheck.parse)
    }

    /// A date whose UTC day lies within `daysAhead` of today's (0 = today); `hint` says what the
    /// change type allows when it does not.
    public func date(_ spec: FieldSpec, daysAhead: ClosedRange<Int>, hint: String) throws(RowRejection) -> Date? {
        guard let date = try date(spec) else { return nil }
        let days = date.daysAhead(of: now)
        let problem: FieldProblem? =
            if days < daysAhead.lowerBound {
                FieldProblem("is \(Wording.count(-days, "day")) before today", hint: hint)
            } else if days > daysAhead.upperBound {
                FieldProblem(
                    "is \(Wording.count(days, "day")) ahead, more than \(daysAhead.upperBound)", hint: hint)
            } else {
                nil
            }
        if let problem { throw RowRejection(spec, value: values[spec.name], problem: problem) }
        return date.date
    }

    /// The value of `spec` passed through `check`, after the length check.
    private func read<Value>(
        _ spec: FieldSpec, _ check: (String) throws(FieldProblem) -> Value
    ) throws(RowRejection) -> Value? {
        guard let text = values[spec.name] else { return nil }
        // A text of no more bytes than the limit has no more characters either.
        if let maxLength = spec.maxLength, text.utf8.count > maxLength, text.unicodeScalars.count > maxLength {
            throw RowRejection(
                spec, value: text,
                problem: FieldProblem(
                    "has \(text.unicodeScalars.count) characters", hint: "use at most \(maxLength)"))
        }
        do {
            return try check(text)
        } catch {
            throw RowRejection(spec, value: text, problem: error)
        }
    }
}
