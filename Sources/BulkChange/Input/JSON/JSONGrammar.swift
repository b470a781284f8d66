/// What a token means where it stands, or what should have stood there.
enum JSONEventKind: Equatable {
    case objectStart, objectEnd, arrayStart, arrayEnd, key, string, number, bool(Bool), null, end
}

/// Which JSON token may come next and what each one means: the pure state machine under
/// `JSONEventReader`, one transition `switch` over tokens, holding only the stack of open
/// objects and arrays.
struct JSONGrammar {
    /// What one transition gives.
    enum Step: Equatable {
        /// The token means this.
        case event(JSONEventKind)
        /// A `:` or `,` in its place; nothing to report.
        case separator
        /// The token cannot come here; `expected` says what could (`',' or '}' after a value`).
        case unexpected(expected: String)
        /// An object or array would open deeper than the limit.
        case tooDeep
    }

    private enum Container {
        case object, array
    }

    private enum State {
        /// The one value of the text.
        case topValue
        /// After `{`: a key or `}`.
        case firstKey
        /// After `,` in an object: a key.
        case key
        /// After a key: `:`.
        case colon
        /// After `:`: a value.
        case objectValue
        /// After a value in an object: `,` or `}`.
        case afterObjectValue
        /// After `[`: a value or `]`.
        case firstArrayValue
        /// After `,` in an array: a value.
        case arrayValue
        /// After a value in an array: `,` or `]`.
        case afterArrayValue
        /// After the top value: only the end.
        case done
    }

    /// The deepest nesting of objects and arrays accepted.
    let maxDepth: Int
    private var containers: [Container] = []
    private var state = State.topValue

    /// A grammar for one JSON text (or, after a seek, for one value inside it).
    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    /// Objects and arrays open now.
    var depth: Int { containers.count }

    /// Takes the next token.
    mutating func accept(_ token: JSONToken) -> Step {
        switch state {
        case .topValue: return value(token, expected: "a JSON value (a bulk change is an object: {…})")
        case .objectValue: return value(token, expected: "a value after ':'")
        case .firstArrayValue:
            if token == .endArray { return close() }
            return value(token, expected: "a value or ']'")
        case .arrayValue:
            return value(
                token,
                expected: token == .endArray ? "a value after ',' (remove the ',' before ']')" : "a value after ','")
        case .firstKey:
            if token == .string { return key() }
            if token == .endObject { return close() }
            return .unexpected(expected: "a key in double quotes, or '}'")
        case .key:
            if token == .string { return key() }
            return .unexpected(
                expected: token == .endObject
                    ? "a key after ',' (remove the ',' before '}')" : "a key in double quotes after ','")
        case .colon:
            guard token == .colon else { return .unexpected(expected: "':' after the key") }
            state = .objectValue
            return .separator
        case .afterObjectValue:
            if token == .endObject { return close() }
            guard token == .comma else { return .unexpected(expected: "',' or '}' after a value") }
            state = .key
            return .separator
        case .afterArrayValue:
            if token == .endArray { return close() }
            guard token == .comma else { return .unexpected(expected: "',' or ']' after a value") }
            state = .arrayValue
            return .separator
        case .done:
            guard token == .end else { return .unexpected(expected: "the end of the file after the JSON value") }
            return .event(.end)
        }
    }

    /// A token where a value belongs.
    private mutating func value(_ token: JSONToken, expected: String) -> Step {
        let kind: JSONEventKind
        switch token {
        case .beginObject, .beginArray:
            guard containers.count < maxDepth else { return .tooDeep }
            let isObject = token == .beginObject
            containers.append(isObject ? .object : .array)
            state = isObject ? .firstKey : .firstArrayValue
            return .event(isObject ? .objectStart : .arrayStart)
        case .string: kind = .string
        case .number: kind = .number
        case .trueLiteral: kind = .bool(true)
        case .falseLiteral: kind = .bool(false)
        case .null: kind = .null
        default: return .unexpected(expected: expected)
        }
        state = afterValue
        return .event(kind)
    }

    private mutating func key() -> Step {
        state = .colon
        return .event(.key)
    }

    private mutating func close() -> Step {
        let closed = containers.removeLast()
        state = afterValue
        return .event(closed == .object ? .objectEnd : .arrayEnd)
    }

    /// Where a value just read leaves the text.
    private var afterValue: State {
        switch containers.last {
        case .object: .afterObjectValue
        case .array: .afterArrayValue
        case nil: .done
        }
    }
}
