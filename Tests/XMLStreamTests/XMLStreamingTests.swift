import Testing
import XMLStream

/// A worksheet made on the fly, row by row, so the input can be far larger than anything the
/// test keeps in memory.
struct GeneratedSheet {
    let rows: Int
    private var started = false
    private var produced = 0
    private var finished = false

    init(rows: Int) {
        self.rows = rows
    }

    /// The next few rows' bytes, or `nil` after the end of the document.
    mutating func nextChunk() -> [UInt8]? {
        if !started {
            started = true
            return Array("<?xml version=\"1.0\"?>\r\n<worksheet><sheetData>".utf8)
        }
        guard produced < rows else {
            if finished { return nil }
            finished = true
            return Array("</sheetData></worksheet>\r\n".utf8)
        }
        var chunk: [UInt8] = []
        while produced < rows && chunk.count < 10_000 {
            produced += 1
            chunk += row(produced)
        }
        return chunk
    }

    private func row(_ number: Int) -> [UInt8] {
        Array(
            ("<row r=\"\(number)\"><c r=\"A\(number)\" t=\"s\"><v>\(number % 100)</v></c>"
                + "<c r=\"B\(number)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">a &amp; b\r\n</t></is></c>"
                + "<c r=\"C\(number)\"><v>\(number).5</v></c></row>\r\n").utf8)
    }
}

@Suite("XMLPullParser streaming")
struct XMLStreamingTests {
    @Test func readsAGeneratedStreamLongerThanAnyChunk() throws {
        let rows = 20_000  // about 4 MB of XML, fed in pieces of about 10 kB
        var sheet = GeneratedSheet(rows: rows)
        var parser = XMLPullParser()
        var rowsSeen = 0
        var inlineStrings = 0
        var depth = 0
        var maxDepth = 0
        reading: while true {
            switch try parser.next() {
            case .event(.startElement(let name, _, let attributes)):
                depth += 1
                maxDepth = max(maxDepth, depth)
                if name == "row" && attributes.first?.value == String(rowsSeen + 1) { rowsSeen += 1 }
            case .event(.endElement):
                depth -= 1
            case .event(.text(let content)):
                if content == "a & b\n" { inlineStrings += 1 }
            case .needInput:
                if let chunk = sheet.nextChunk() { parser.feed(chunk) } else { parser.finish() }
            case .end:
                break reading
            }
        }
        #expect(rowsSeen == rows)
        #expect(inlineStrings == rows)
        #expect(depth == 0)
        #expect(maxDepth == 6)
        // A line for the declaration, two per row (one inside the inline string), one at the end.
        #expect(parser.position.line == 2 * rows + 3)
    }
}
