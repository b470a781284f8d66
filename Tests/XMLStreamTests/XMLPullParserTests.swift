import Testing
import XMLStream

/// One reading rule: a document and the events it must give.
struct EventCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: [UInt8]
    let expected: [XMLEvent]
    var testDescription: String { name }

    init(_ name: String, _ input: String, _ expected: [XMLEvent]) {
        self.name = name
        self.input = Array(input.utf8)
        self.expected = expected
    }
}

private let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
private let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"

let eventCases: [EventCase] = [
    EventCase(
        "worksheet with a shared-string and a number cell",
        declaration + "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\" spans=\"1:2\">"
            + "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>42.5</v></c></row></sheetData></worksheet>",
        [
            start("worksheet", ("xmlns", main)), start("sheetData"), start("row", ("r", "1"), ("spans", "1:2")),
            start("c", ("r", "A1"), ("t", "s")),
        ] + element("v", "0") + [end("c"), start("c", ("r", "B1"))] + element("v", "42.5")
            + [end("c"), end("row"), end("sheetData"), end("worksheet")]
    ),
    EventCase(
        "inline string keeps its spaces",
        "<c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> x </t></is></c>",
        [
            start("c", ("r", "A2"), ("t", "inlineStr")), start("is"), start("t", ("xml:space", "preserve")),
            text(" x "), end("t"), end("is"), end("c"),
        ]
    ),
    EventCase(
        "shared strings with rich text runs",
        "<sst xmlns=\"\(main)\" count=\"2\" uniqueCount=\"2\"><si><t>plain</t></si>"
            + "<si><r><rPr><b/><sz val=\"11\"/></rPr><t>a</t></r><r><t>b</t></r></si></sst>",
        [start("sst", ("xmlns", main), ("count", "2"), ("uniqueCount", "2")), start("si")]
            + element("t", "plain")
            + [end("si"), start("si"), start("r"), start("rPr"), start("b"), end("b")]
            + [start("sz", ("val", "11")), end("sz"), end("rPr")] + element("t", "a")
            + [end("r"), start("r")] + element("t", "b") + [end("r"), end("si"), end("sst")]
    ),
    EventCase(
        "namespace prefixes are split off, not resolved",
        "<x:worksheet xmlns:x=\"\(main)\"><x:sheetData><x:row r=\"1\"/></x:sheetData></x:worksheet>",
        [
            start("x:worksheet", ("xmlns:x", main)), start("x:sheetData"), start("x:row", ("r", "1")),
            end("x:row"), end("x:sheetData"), end("x:worksheet"),
        ]
    ),
    EventCase(
        "same local name with different prefixes",
        "<a x:v=\"1\" y:v=\"2\" v=\"3\"/>",
        [start("a", ("x:v", "1"), ("y:v", "2"), ("v", "3")), end("a")]
    ),
    EventCase(
        "whitespace-only text is reported inside the root",
        "<a>\n  <b/>\n</a>",
        [start("a"), text("\n  "), start("b"), end("b"), text("\n"), end("a")]
    ),
    EventCase(
        "empty elements", "<a><b/><c /><d x='1'/></a>",
        [
            start("a"), start("b"), end("b"), start("c"), end("c"), start("d", ("x", "1")), end("d"), end("a"),
        ]),
    EventCase("predefined entities", "<t>&lt;&gt;&amp;&quot;&apos;</t>", element("t", "<>&\"'")),
    EventCase(
        "character references",
        "<t>&#65;&#x42;&#x1F600;&#169;&#0065;&#xe9;&#xE9;</t>",
        element("t", "AB\u{1F600}©Aéé")
    ),
    EventCase(
        "references in attribute values",
        "<a v=\"&lt;x&gt; &amp; &#34;q&#34;\"/>",
        [start("a", ("v", "<x> & \"q\"")), end("a")]
    ),
    EventCase(
        "CDATA is text, markup inside it is not", "<t><![CDATA[<b>&amp;</b>]]></t>", element("t", "<b>&amp;</b>")),
    EventCase(
        "text, CDATA and skipped comments and processing instructions make one text",
        "<t>a<!-- c -->b<![CDATA[c]]>d<?pi x?>e</t>",
        element("t", "abcde")
    ),
    EventCase("brackets inside CDATA", "<t><![CDATA[a]b]]c]]]]></t>", element("t", "a]b]]c]]")),
    EventCase("empty CDATA gives no text", "<a><![CDATA[]]><!----></a>", [start("a"), end("a")]),
    EventCase(
        "comments with hyphens and processing instructions with question marks",
        "<a><!-- a - b -- c ---><?pi a ? b ??></a>",
        [start("a"), end("a")]
    ),
    EventCase(
        "declaration, comments and processing instructions around the root are skipped",
        "<?xml version=\"1.0\"?>\n<!-- before -->\n<?pi?>\n<r/>\n<!-- after -->\n<?after?>\n  ",
        [start("r"), end("r")]
    ),
    EventCase("UTF-8 byte order mark skipped", "\u{FEFF}<r/>", [start("r"), end("r")]),
    EventCase("CRLF and CR in text become LF", "<t>a\r\nb\rc\n\r\n</t>", element("t", "a\nb\nc\n\n")),
    EventCase("references to CR and LF are kept", "<t>a&#13;&#10;b&#xD;</t>", element("t", "a\r\nb\r")),
    EventCase("CRLF in CDATA becomes LF", "<t><![CDATA[a\r\nb\r]]></t>", element("t", "a\nb\n")),
    EventCase(
        "tabs and line ends in attribute values become spaces, references to them do not",
        "<a v=\"x\ty\r\nz\nw\rv&#10;&#9;&#13;\"/>",
        [start("a", ("v", "x y z w v\n\t\r")), end("a")]
    ),
    EventCase(
        "quotes of the other kind inside attribute values",
        "<a v='say \"hi\"' w=\"it's\"/>",
        [start("a", ("v", "say \"hi\""), ("w", "it's")), end("a")]
    ),
    EventCase(
        "greater-than in text and attribute values", "<a v=\"a>b\">x>y</a>",
        [
            start("a", ("v", "a>b")), text("x>y"), end("a"),
        ]),
    EventCase(
        "whitespace inside tags",
        "<a  x = \"1\"\n y\t=\t'2' \r\n>t</a \n>",
        [start("a", ("x", "1"), ("y", "2")), text("t"), end("a")]
    ),
    EventCase(
        "non-ASCII names, values and text",
        "<données clé=\"valeur é\">日本 🙂</données>",
        [start("données", ("clé", "valeur é")), text("日本 🙂"), end("données")]
    ),
    EventCase(
        "names with digits, dots, hyphens and underscores", "<_a.b-1 c-2.d_=\"\"/>",
        [
            start("_a.b-1", ("c-2.d_", "")), end("_a.b-1"),
        ]),
    EventCase(
        "control characters other than NUL pass",
        "<a>\u{1}\u{B}</a>",
        element("a", "\u{1}\u{B}")
    ),
]

@Suite("XMLPullParser events")
struct XMLPullParserTests {
    @Test(arguments: eventCases)
    func readsEveryChunking(_ testCase: EventCase) {
        let results = readEveryChunking(testCase.input)
        for (chunkSize, result) in results {
            #expect(result.events == testCase.expected, "chunk \(chunkSize)")
            #expect(result.error == nil, "chunk \(chunkSize)")
            #expect(result.position == results[0].result.position, "chunk \(chunkSize)")
        }
        #expect(results[0].result.position.byteOffset == testCase.input.count)
    }

    @Test func convenienceGivesTheSameEvents() throws {
        for testCase in eventCases {
            #expect(try xmlEvents(testCase.input) == testCase.expected, "\(testCase.name)")
        }
    }

    @Test func asksForInputUntilFinishedThenEnds() throws {
        var parser = XMLPullParser()
        #expect(try parser.next() == .needInput)
        parser.feed(Array("<a>x".utf8))
        #expect(try parser.next() == .event(start("a")))
        #expect(try parser.next() == .needInput)
        parser.feed(Array("</a>  ".utf8))
        #expect(try parser.next() == .event(text("x")))
        #expect(try parser.next() == .event(end("a")))
        // The root is closed, but a comment or whitespace may still come.
        #expect(try parser.next() == .needInput)
        parser.finish()
        #expect(try parser.next() == .end)
        #expect(try parser.next() == .end)
    }

    @Test func feedsRawBuffers() throws {
        var parser = XMLPullParser()
        let bytes = Array("<a b='c'/>".utf8)
        bytes.withUnsafeBytes { parser.feed(UnsafeRawBufferPointer(rebasing: $0[0..<4])) }
        bytes.withUnsafeBytes { parser.feed(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        parser.finish()
        var events: [XMLEvent] = []
        while case .event(let event) = try parser.next() { events.append(event) }
        #expect(events == [start("a", ("b", "c")), end("a")])
    }

    @Test func positionIsTheNextByte() throws {
        var parser = XMLPullParser()
        parser.feed(Array("\u{FEFF}<a>\r\n  <b/>".utf8))
        #expect(parser.position == XMLPosition(byteOffset: 0, line: 1, column: 1))
        _ = try parser.next()
        #expect(parser.position == XMLPosition(byteOffset: 6, line: 1, column: 4))
        _ = try parser.next()  // the text, reported as <b starts
        #expect(parser.position == XMLPosition(byteOffset: 11, line: 2, column: 4))
        #expect(parser.position.description == "2:4")
    }

    @Test func errorIsRepeatedOnLaterCalls() throws {
        var parser = XMLPullParser()
        parser.feed(Array("<a></b>".utf8))
        parser.finish()
        #expect(try parser.next() == .event(start("a")))
        let mismatch = XMLError.mismatchedEndTag(
            found: "b", open: "a", openedAt: XMLPosition(byteOffset: 0, line: 1, column: 1),
            at: XMLPosition(byteOffset: 3, line: 1, column: 4))
        #expect(throws: mismatch) { _ = try parser.next() }
        #expect(throws: mismatch) { _ = try parser.next() }
    }

    @Test func defaultLimits() {
        #expect(XMLLimits() == XMLLimits(maxDepth: 64, maxNameBytes: 1_024, maxAttributes: 256, maxTextBytes: 1 << 20))
    }
}
