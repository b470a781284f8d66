import Testing
import XMLStream

/// One way to be wrong: a document, the events before the error and the error's description.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: [UInt8]
    let message: String
    let eventsBefore: Int
    var testDescription: String { name }

    init(_ name: String, _ input: String, _ message: String, after eventsBefore: Int = 0) {
        self.init(name, bytes: Array(input.utf8), message, after: eventsBefore)
    }

    init(_ name: String, bytes: [UInt8], _ message: String, after eventsBefore: Int = 0) {
        self.name = name
        self.input = bytes
        self.message = message
        self.eventsBefore = eventsBefore
    }
}

private let unexpectedInTag = "expected an attribute name, '>' or '/>'"
private let outsideRoot =
    "text outside the root element; only whitespace, comments and processing instructions may be there"

let errorCases: [ErrorCase] = [
    ErrorCase(
        "end tag of an outer element", "<worksheet>\n<row>\n <c></row>",
        "3:5: end tag </row> does not match <c> opened at 3:2", after: 5),
    ErrorCase(
        "end tag with another prefix", "<x:a></y:a>", "1:6: end tag </y:a> does not match <x:a> opened at 1:1",
        after: 1),
    ErrorCase("end tag after the root", "<a/></a>", "1:5: end tag </a> with no element open", after: 2),
    ErrorCase(
        "second root element", "<a/>\n<b/>", "2:1: second root element <b>; a document has exactly one", after: 2),
    ErrorCase("text before the root", "x<a/>", "1:1: " + outsideRoot),
    ErrorCase("text after the root", "<a/>\n x", "2:2: " + outsideRoot, after: 2),
    ErrorCase("reference before the root", "&amp;<a/>", "1:1: " + outsideRoot),
    ErrorCase("CDATA before the root", "<![CDATA[x]]><a/>", "1:1: " + outsideRoot),
    ErrorCase(
        "DOCTYPE with an entity bomb",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n<lolz>&lol;</lolz>",
        "2:1: DOCTYPE not allowed; documents with a document type declaration are refused"),
    ErrorCase(
        "unknown entity", "<a>&nbsp;</a>",
        "1:4: unknown entity &nbsp;: only &lt; &gt; &amp; &quot; &apos; and character references are read",
        after: 1),
    ErrorCase(
        "reference to U+0000", "<a>&#0;</a>", "1:4: character reference &#0; is not a character XML allows",
        after: 1),
    ErrorCase(
        "reference to a surrogate", "<a v='&#xD800;'/>",
        "1:7: character reference &#xD800; is not a character XML allows"),
    ErrorCase(
        "reference beyond U+10FFFF", "<a>&#x110000;</a>",
        "1:4: character reference &#x110000; is not a character XML allows", after: 1),
    ErrorCase(
        "reference too large for any integer", "<a>&#99999999999999999999999;</a>",
        "1:4: character reference &#99999999999999999999999; is not a character XML allows", after: 1),
    ErrorCase(
        "hex digits in a decimal reference", "<a>&#12a;</a>",
        "1:4: character reference &#12a; is not a character XML allows", after: 1),
    ErrorCase(
        "reference without digits", "<a>&#x;</a>", "1:4: character reference &#x; is not a character XML allows",
        after: 1),
    ErrorCase(
        "ampersand without a reference", "<a>AT&T</a>",
        "1:6: '&' does not start a reference like &amp; or &#38; ending in ';'; write a literal & as &amp;",
        after: 1),
    ErrorCase(
        "empty reference", "<a>&;</a>",
        "1:4: '&' does not start a reference like &amp; or &#38; ending in ';'; write a literal & as &amp;",
        after: 1),
    ErrorCase(
        "duplicate attribute", "<a x=\"1\" x=\"2\"/>", "1:10: attribute x appears twice in one start tag"),
    ErrorCase(
        "duplicate prefixed attribute", "<a p:x=\"1\"\n p:x=\"2\"/>",
        "2:2: attribute p:x appears twice in one start tag"
    ),
    ErrorCase("less-than in an attribute value", "<a x=\"a<b\"/>", "1:8: '<' in an attribute value; write it as &lt;"),
    ErrorCase(
        "unquoted attribute value", "<a x=1/>",
        "1:6: unexpected '1'; expected a quote (\" or ') opening the attribute value"),
    ErrorCase("attribute without a value", "<a x/>", "1:5: unexpected '/'; expected '=' after the attribute name"),
    ErrorCase(
        "attributes without space between", "<a x=\"1\"y=\"2\"/>",
        "1:9: unexpected 'y'; expected whitespace, '>' or '/>'"),
    ErrorCase("stray character in a start tag", "<a x=\"1\" $>", "1:10: unexpected '$'; " + unexpectedInTag),
    ErrorCase("name starting with a digit", "<1a/>", "1:2: unexpected '1'; expected a name, '/', '!' or '?' after '<'"),
    ErrorCase("space after less-than", "< a/>", "1:2: unexpected U+0020; expected a name, '/', '!' or '?' after '<'"),
    ErrorCase("space after </", "<a></ a>", "1:6: unexpected U+0020; expected a name after '</'", after: 1),
    ErrorCase(
        "attribute in an end tag", "<a></a x>", "1:8: unexpected 'x'; expected '>' closing the end tag", after: 1),
    ErrorCase("slash not closing the tag", "<a/ >", "1:4: unexpected U+0020; expected '>' after '/' in a start tag"),
    ErrorCase(
        "two colons", "<a:b:c/>",
        "1:2: malformed name \"a:b:c\"; a name has at most one colon, with text on both sides"),
    ErrorCase(
        "empty prefix", "<:a/>", "1:2: malformed name \":a\"; a name has at most one colon, with text on both sides"),
    ErrorCase(
        "empty local name", "<a x:=\"1\"/>",
        "1:4: malformed name \"x:\"; a name has at most one colon, with text on both sides"),
    ErrorCase(
        "local name starting with a digit", "<a:1/>",
        "1:2: malformed name \"a:1\"; a name has at most one colon, with text on both sides"),
    ErrorCase("unknown declaration", "<!ELEMENT a><a/>", "1:3: unexpected 'E'; expected '--' or '[CDATA[' after '<!'"),
    ErrorCase("half a comment opening", "<!-x-><a/>", "1:4: unexpected 'x'; expected \"<!--\""),
    ErrorCase("input ends inside a start tag", "<a x='1", "1:8: input ended inside a tag started at 1:1"),
    ErrorCase("input ends inside an end tag", "<a>\n</a", "2:4: input ended inside a tag started at 2:1", after: 2),
    ErrorCase("input ends after less-than", "<a><", "1:5: input ended inside a tag started at 1:4", after: 1),
    ErrorCase(
        "input ends inside a comment", "<a><!-- x --", "1:13: input ended inside a comment started at 1:4", after: 1),
    ErrorCase(
        "input ends inside CDATA", "<a><![CDATA[x]]", "1:16: input ended inside a CDATA section started at 1:4",
        after: 1),
    ErrorCase(
        "input ends inside a processing instruction", "<?xml version='1.0'?",
        "1:21: input ended inside a processing instruction started at 1:1"),
    ErrorCase("input ends inside <!", "<!-", "1:4: input ended inside a <! declaration started at 1:1"),
    ErrorCase(
        "input ends inside a reference", "<a>&amp", "1:8: input ended inside a reference started at 1:4", after: 1),
    ErrorCase(
        "input ends with elements open", "<a>\n<b></b>", "2:8: input ended with <a> opened at 1:1 still open",
        after: 4),
    ErrorCase("empty input", "", "1:1: input ended before a root element"),
    ErrorCase("only a comment", "  <!-- only -->\n", "2:1: input ended before a root element"),
    ErrorCase(
        "invalid UTF-8 in text", bytes: Array("<a>".utf8) + [0xFF] + Array("</a>".utf8),
        "1:4: text is not valid UTF-8 here; only UTF-8 is read", after: 1),
    ErrorCase(
        "invalid UTF-8 in a name", bytes: [0x3C, 0x61, 0xC3, 0x28, 0x3E],
        "1:3: text is not valid UTF-8 here; only UTF-8 is read"),
    ErrorCase(
        "overlong UTF-8", bytes: Array("<a>".utf8) + [0xC0, 0xAF] + Array("</a>".utf8),
        "1:4: text is not valid UTF-8 here; only UTF-8 is read", after: 1),
    ErrorCase(
        "UTF-8 encoded surrogate", bytes: Array("<a>".utf8) + [0xED, 0xA0, 0x80] + Array("</a>".utf8),
        "1:4: text is not valid UTF-8 here; only UTF-8 is read", after: 1),
    ErrorCase(
        "input ends inside a character", bytes: Array("<a>".utf8) + [0xE6, 0x97],
        "1:4: text is not valid UTF-8 here; only UTF-8 is read", after: 1),
    ErrorCase(
        "an earlier error wins over invalid UTF-8 later", bytes: Array("<a></b>".utf8) + [0xFF],
        "1:4: end tag </b> does not match <a> opened at 1:1", after: 1),
    ErrorCase(
        "UTF-16 little-endian with byte order mark", bytes: [0xFF, 0xFE, 0x3C, 0x00, 0x61, 0x00],
        "1:1: text starts with a UTF-16 byte order mark; only UTF-8 is read"),
    ErrorCase(
        "UTF-16 big-endian with byte order mark", bytes: [0xFE, 0xFF, 0x00, 0x3C, 0x00, 0x61],
        "1:1: text starts with a UTF-16 byte order mark; only UTF-8 is read"),
    ErrorCase(
        "UTF-16 without byte order mark", bytes: [0x3C, 0x00, 0x61, 0x00],
        "1:2: NUL byte, which XML does not allow; is the file UTF-16?"),
    ErrorCase(
        "NUL in text", bytes: Array("<a>".utf8) + [0] + Array("</a>".utf8),
        "1:4: NUL byte, which XML does not allow; is the file UTF-16?", after: 1),
]

@Suite("XMLPullParser errors")
struct XMLErrorTests {
    @Test(arguments: errorCases)
    func failsAtTheSamePlaceInEveryChunking(_ testCase: ErrorCase) throws {
        let results = readEveryChunking(testCase.input)
        let whole = results[0].result
        let error = try #require(whole.error)
        #expect(error.description == testCase.message)
        #expect(whole.events.count == testCase.eventsBefore)
        for (chunkSize, result) in results.dropFirst() {
            #expect(result == whole, "chunk \(chunkSize)")
        }
    }

    @Test func errorsCarryTheirParts() {
        #expect(
            read(Array("<r>\n<c></r>".utf8)).error
                == .mismatchedEndTag(
                    found: "r", open: "c", openedAt: XMLPosition(byteOffset: 4, line: 2, column: 1),
                    at: XMLPosition(byteOffset: 7, line: 2, column: 4)))
        #expect(
            read(Array("<a>".utf8)).error
                == .unclosedElement(
                    "a", openedAt: XMLPosition(byteOffset: 0, line: 1, column: 1),
                    at: XMLPosition(byteOffset: 3, line: 1, column: 4)))
        #expect(
            read(Array("<a><!--".utf8)).error
                == .unterminated(
                    .comment, startedAt: XMLPosition(byteOffset: 3, line: 1, column: 4),
                    at: XMLPosition(byteOffset: 7, line: 1, column: 8)))
        let error = XMLError.doctypeNotAllowed(at: XMLPosition(byteOffset: 40, line: 2, column: 1))
        #expect(error.position.byteOffset == 40)
        #expect(error.description == "2:1: " + error.reason)
    }
}
