/// A coding key made from any string, for keys known only at run time
/// (`accountCustom3`, or the list key of a paged answer).
struct NamedCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
