/// One cell to write: text, which is guarded against formula injection, or a number we produced
/// ourselves, which is written as it is.
public enum CSVCell: Hashable, Sendable, ExpressibleByStringLiteral {
    case text(String)
    case number(String)

    public init(stringLiteral value: String) {
        self = .text(value)
    }

    /// The cell's text, as given.
    public var content: String {
        switch self {
        case .text(let content), .number(let content): content
        }
    }

    /// A number cell from an integer.
    public static func number<Value: BinaryInteger>(_ value: Value) -> CSVCell {
        .number(String(value))
    }
}
