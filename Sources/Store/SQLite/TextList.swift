import Foundation

/// A list of strings stored in one TEXT column as a JSON array (input columns, a row's cells).
enum TextList {
    static func text(_ list: [String]) -> String {
        // An array of strings always encodes; the fallback is never reached.
        (try? JSONEncoder().encode(list)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The list in `text`; nil text is an empty list.
    static func list(_ text: String?, field: String) throws(StoreError) -> [String] {
        guard let text else { return [] }
        do {
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        } catch {
            throw .invalidValue(field: field, value: String(text.prefix(80)), expected: "a JSON array of strings")
        }
    }
}
