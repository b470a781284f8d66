/// One value of a JSON bulk change as a field sees it: a string, a number as written, `true` or
/// `false`, `null`, or an object or array (which no field takes; it was skipped).
enum JSONFieldValue: Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case nested

    /// The value that `first` starts, read to its end.
    static func read(_ first: JSONEventKind, from events: inout FileEvents) throws(InputFileError) -> JSONFieldValue {
        switch first {
        case .string: return .string(events.text)
        case .number: return .number(events.text)
        case .bool(let value): return .bool(value)
        case .null: return .null
        default:
            try events.skipValue(startingWith: first)
            return .nested
        }
    }

    /// The text of the field `spec` for this value, and what is wrong with it, if anything.
    ///
    /// `null` is no value (in a device, it clears a default). Strings are trimmed; numbers and
    /// booleans become their text, but an ICCID or IMEI written as a number is a problem (a JSON
    /// number loses digits in most programs); an object or array is a problem.
    func text(for spec: FieldSpec) -> (text: String?, problem: RowRejection?) {
        switch self {
        case .null:
            return (nil, nil)
        case .string(let text):
            return (InputRow.clean(text), nil)
        case .bool(let value):
            return (value ? "true" : "false", nil)
        case .number(let literal):
            let text = Self.numberText(literal)
            guard spec.kind == .iccid || spec.kind == .imei else { return (text, nil) }
            let name = spec.kind == .iccid ? "ICCID" : "IMEI"
            return (
                text,
                RowRejection(
                    column: spec.name, value: text, message: "is a JSON number",
                    hint: "write \(name)s as JSON strings; numbers lose digits")
            )
        case .nested:
            return (
                nil,
                RowRejection(
                    column: spec.name, message: "is a JSON array or object",
                    hint: "give a string, a number or true/false")
            )
        }
    }

    /// A number's text: whole numbers as written (all their digits), `500` for a whole number
    /// written with a fraction or exponent (`5e2`, `500.0`), others as the shortest decimal that
    /// reads back the same (`1.5`, `0.001`).
    static func numberText(_ literal: String) -> String {
        guard literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return literal }
        guard let value = Double(literal), value.isFinite else { return literal }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
