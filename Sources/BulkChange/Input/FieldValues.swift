/// One row's fields by canonical name: trimmed, non-empty text. The names are kept once per file
/// (`FieldNames`) and each row holds only its values, in the same order; a lookup compares the
/// few names instead of hashing, and a row costs one small array instead of a dictionary. A
/// million-row file is read row by row through here.
public struct FieldValues: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    private let names: FieldNames
    private var values: [String?]

    /// The fields of a row: `values[i]` is the value of `names.list[i]`, `nil` when absent.
    init(names: FieldNames, values: [String?]) {
        precondition(names.list.count == values.count, "one value per field name")
        self.names = names
        self.values = values
    }

    /// The fields `dictionary` holds.
    public init(_ dictionary: [String: String]) {
        let names = FieldNames(dictionary.keys.sorted())
        self.init(names: names, values: names.list.map { dictionary[$0] })
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements) { _, last in last })
    }

    /// The value of the field named `name`, or `nil` when the row has none.
    public subscript(name: String) -> String? {
        guard let index = names.index(of: name) else { return nil }
        return values[index]
    }

    /// The fields as a dictionary of the names that have a value.
    public var dictionary: [String: String] {
        var dictionary: [String: String] = [:]
        for (name, value) in zip(names.list, values) { dictionary[name] = value }
        return dictionary
    }

    public static func == (lhs: FieldValues, rhs: FieldValues) -> Bool {
        lhs.dictionary == rhs.dictionary
    }
}

/// The canonical field names of a file's rows, in the order their values are kept.
final class FieldNames: Sendable {
    let list: [String]

    init(_ list: [String]) {
        self.list = list
    }

    /// The position of `name`; a file has a dozen fields at most, so a scan beats hashing.
    func index(of name: String) -> Int? {
        list.firstIndex(of: name)
    }
}
