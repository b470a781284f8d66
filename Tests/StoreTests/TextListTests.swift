import Foundation
import Testing

@testable import Store

/// The JSON arrays of strings that hold the input's columns and each row's cells.
@Suite("Store: lists of text in one column")
struct TextListTests {
    static let awkward = [
        "", "plain", "a,b", "say \"hi\"", "back\\slash", "line\nbreak\r\n", "\u{1}\u{1F}", "tab\t", "émoji 😀",
        "=SUM(A1)", "/",
    ]

    @Test func everyStringComesBackAsItWas() throws {
        #expect(try TextList.list(TextList.text(Self.awkward), field: "f") == Self.awkward)
        #expect(try TextList.list(TextList.text([]), field: "f") == [])
        #expect(try TextList.list(nil, field: "f") == [])
    }

    @Test func whatFoundationWritesIsReadToo() throws {
        let encoded = String(decoding: try JSONEncoder().encode(Self.awkward), as: UTF8.self)
        #expect(try TextList.list(encoded, field: "f") == Self.awkward)
        let escapes = #"[ "\u00e9\ud83d\ude00\/" , "\b\f" ]"#
        #expect(try TextList.list(escapes, field: "f") == ["é😀/", "\u{8}\u{C}"])
        let written = try JSONSerialization.jsonObject(with: Data(TextList.text(Self.awkward).utf8)) as? [String]
        #expect(written == Self.awkward, "what it writes is JSON any reader takes")
    }

    @Test(arguments: ["", "[", "[\"a\"", "[\"a\",]", "{}", "[1]", "[\"a\"] x", "[\"\\ud83d\"]", "[\"\\q\"]"])
    func anythingElseIsRefusedWithTheField(text: String) {
        let error = #expect(throws: StoreError.self) { try TextList.list(text, field: "bulk_change.input_columns") }
        guard case .invalidValue(let field, _, _) = error else {
            Issue.record("expected invalidValue, got \(String(describing: error))")
            return
        }
        #expect(field == "bulk_change.input_columns")
    }
}
