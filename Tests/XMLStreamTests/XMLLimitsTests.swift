import Testing
import XMLStream

/// A document just within a limit and one just over it.
struct LimitCase: CustomTestStringConvertible, Sendable {
    let name: String
    let limits: XMLLimits
    let within: [UInt8]
    let over: [UInt8]
    let message: String
    var testDescription: String { name }

    init(_ name: String, _ limits: XMLLimits, within: String, over: String, _ message: String) {
        self.name = name
        self.limits = limits
        self.within = Array(within.utf8)
        self.over = Array(over.utf8)
        self.message = message
    }
}

private let depth = "elements nested more than 3 deep (XMLLimits.maxDepth)"
private let nameBytes = "name or reference longer than 4 bytes (XMLLimits.maxNameBytes)"
private let attributes = "more than 2 attributes in one start tag (XMLLimits.maxAttributes)"
private let textBytes = "text or attribute value longer than 5 bytes (XMLLimits.maxTextBytes)"

let limitCases: [LimitCase] = [
    LimitCase(
        "depth", XMLLimits(maxDepth: 3), within: "<a><b><c/></b></a>", over: "<a><b><c><d/></c></b></a>",
        "1:10: " + depth),
    LimitCase(
        "depth of one", XMLLimits(maxDepth: 1), within: "<a><!-- - --></a>", over: "<a><b/></a>",
        "1:4: elements nested more than 1 deep (XMLLimits.maxDepth)"),
    LimitCase(
        "element name", XMLLimits(maxNameBytes: 4), within: "<abcd efgh=\"1\"></abcd>", over: "<abcde/>",
        "1:2: " + nameBytes),
    LimitCase(
        "prefix counts", XMLLimits(maxNameBytes: 4), within: "<x:ab/>", over: "<x:abc/>", "1:2: " + nameBytes),
    LimitCase(
        "attribute name", XMLLimits(maxNameBytes: 4), within: "<a abcd=\"1\"/>", over: "<a abcde=\"1\"/>",
        "1:4: " + nameBytes),
    LimitCase("end tag name", XMLLimits(maxNameBytes: 4), within: "<a></a>", over: "<a></abcde>", "1:6: " + nameBytes),
    LimitCase(
        "reference", XMLLimits(maxNameBytes: 4), within: "<a>&amp;&#65;</a>", over: "<a>&#0065;</a>",
        "1:4: " + nameBytes),
    LimitCase(
        "attributes", XMLLimits(maxAttributes: 2), within: "<a x=\"1\" y=\"2\"/>",
        over: "<a x=\"1\" y=\"2\"\n z=\"3\"/>", "2:2: " + attributes),
    LimitCase("text", XMLLimits(maxTextBytes: 5), within: "<a>12345</a>", over: "<a>\n123456</a>", "1:4: " + textBytes),
    LimitCase(
        "decoded text counts, not the references", XMLLimits(maxTextBytes: 5), within: "<a>&lt;&lt;&lt;&lt;&lt;</a>",
        over: "<a>&lt;&lt;&lt;&lt;&lt;&lt;</a>", "1:4: " + textBytes),
    LimitCase(
        "text with CDATA", XMLLimits(maxTextBytes: 5), within: "<a>12<![CDATA[345]]></a>",
        over: "<a>123<!-- - --><![CDATA[456]]></a>", "1:4: " + textBytes),
    LimitCase(
        "line ends count once", XMLLimits(maxTextBytes: 5), within: "<a>1\r\n2\r\n3</a>", over: "<a>1\r\n2\r\n34</a>",
        "1:4: " + textBytes),
    LimitCase(
        "one text node, not all text", XMLLimits(maxTextBytes: 5), within: "<a>12345<b/>12345</a>",
        over: "<a>12345<b/>123456</a>", "1:13: " + textBytes),
    LimitCase(
        "attribute value", XMLLimits(maxTextBytes: 5), within: "<a v=\"12345\" w='&#x1F600;'/>",
        over: "<a v=\"1\" w='12&#x1F600;'/>", "1:12: " + textBytes),
]

@Suite("XMLLimits")
struct XMLLimitsTests {
    @Test(arguments: limitCases)
    func refusesJustOverTheLimitInEveryChunking(_ testCase: LimitCase) throws {
        for (chunkSize, result) in readEveryChunking(testCase.within, limits: testCase.limits) {
            #expect(result.error == nil, "chunk \(chunkSize)")
        }
        let results = readEveryChunking(testCase.over, limits: testCase.limits)
        let error = try #require(results[0].result.error)
        #expect(error.description == testCase.message)
        for (chunkSize, result) in results.dropFirst() {
            #expect(result == results[0].result, "chunk \(chunkSize)")
        }
    }

    @Test func aRunawayTextEndsInAnErrorNotMemoryExhaustion() {
        var parser = XMLPullParser()
        parser.feed(Array("<sst><si><t>".utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
        var error: XMLError?
        feeding: for _ in 0..<100 {
            parser.feed(chunk)
            do {
                while case .event = try parser.next() {}
            } catch let thrown {
                error = thrown
                break feeding
            }
        }
        #expect(
            error == .limitExceeded(.maxTextBytes, value: 1 << 20, at: XMLPosition(byteOffset: 12, line: 1, column: 13))
        )
    }
}
