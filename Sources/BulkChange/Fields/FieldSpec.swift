/// What one input column holds; decides how a value is checked and the pattern its schema gives.
public enum FieldKind: String, CaseIterable, Codable, Sendable {
    /// 19–20 digits ending with a Luhn check digit.
    case iccid
    /// 15 digits ending with a Luhn check digit.
    case imei
    /// Free text, limited only by the field's `maxLength` and `pattern`.
    case text
    /// `YYYY-MM-DD`, or ISO 8601 with a time and a UTC offset.
    case date
    /// A SIM status name such as `ACTIVATED` or `activation ready`.
    case status
    /// A number of 0 or more, with an optional decimal part after a dot.
    case number
    /// A whole number of 0 or more.
    case integer
    /// `true`/`false`, `yes`/`no` or `1`/`0`, in any case.
    case boolean

    /// The regular expression (ECMA-262, as JSON Schema uses it) a clean value of this kind matches,
    /// or `nil` when any text will do.
    public var pattern: String? {
        switch self {
        case .iccid: "^[0-9]{19,20}$"
        case .imei: "^[0-9]{15}$"
        case .text: nil
        case .date:
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?))?$"
        case .status: "^[A-Za-z]+([ _-][A-Za-z]+)*$"
        case .number: "^[0-9]+(\\.[0-9]+)?$"
        case .integer: "^[0-9]+$"
        case .boolean: "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|1|0)$"
        }
    }
}

/// One column of a change type's input: its canonical name, the other names partners use for it,
/// and what it holds.
///
/// The schemas in `schemas/<slug>.schema.json` describe the same fields; a test keeps them in step.
public struct FieldSpec: Equatable, Sendable {
    /// The canonical column name, in snake_case (`target_status`); also the JSON key.
    public var name: String
    /// Other header names accepted for the column (`Status`, `New Status`).
    public var aliases: [String]
    /// How a value is checked.
    public var kind: FieldKind
    /// Whether every row must have a value (and a CSV header the column).
    public var required: Bool
    /// The most characters (Unicode scalars, as JSON Schema counts) a value may have.
    public var maxLength: Int?
    /// The regular expression a clean value matches, for the schema; the kind's own by default.
    public var pattern: String?
    /// One sentence for people: what the column means, for the schema and the README.
    public var summary: String

    /// A field; `pattern` defaults to the one of `kind`.
    public init(
        _ name: String, kind: FieldKind, required: Bool = false, aliases: [String] = [], maxLength: Int? = nil,
        pattern: String? = nil, summary: String
    ) {
        self.name = name
        self.aliases = aliases
        self.kind = kind
        self.required = required
        self.maxLength = maxLength
        self.pattern = pattern ?? kind.pattern
        self.summary = summary
    }

    /// Whether a header cell names this field: the canonical name or an alias, ignoring case,
    /// spaces, `_` and `-` (`ICCID Number`, `iccid-number` and `ICCID_NUMBER` are the same).
    public func matches(header: String) -> Bool {
        let key = Self.columnKey(header)
        return key == Self.columnKey(name) || aliases.contains { Self.columnKey($0) == key }
    }

    /// The name to show a person: the first alias when it is just the canonical name dressed up
    /// (`ICCID` for `iccid`), else the canonical name.
    public var displayName: String {
        aliases.first { Self.columnKey($0) == Self.columnKey(name) } ?? name
    }

    /// The other accepted header names, besides `displayName` and its spellings.
    public var otherNames: [String] {
        aliases.filter { Self.columnKey($0) != Self.columnKey(displayName) }
    }

    /// A header name reduced to what matching compares: lower case, without spaces, `_` and `-`.
    public static func columnKey(_ header: String) -> String {
        String(header.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" })
    }
}
