/// The XML grammar as a state machine over checked UTF-8 bytes, with no I/O of its own.
///
/// `scan(_:)` consumes bytes until an event completes or the bytes run out; `XMLPullParser`
/// owns the buffer, checks the UTF-8 before handing bytes over and drops what was consumed.
/// Everything kept between calls is in the state and the partial name, value or text, so where
/// the input is cut never changes the events or the errors. Runs of ordinary bytes (text,
/// names, values) are taken in tight loops and copied in one go. Lines are counted as bytes are
/// consumed, so every error says where it is. The concerns live in `XMLScanner+Text.swift`
/// (character data, references, CDATA), `XMLScanner+Tags.swift` (start and end tags,
/// attributes) and `XMLScanner+Markup.swift` (comments, processing instructions, `<!`).
struct XMLScanner {
    enum State {
        /// Nothing read yet; a UTF-8 byte order mark may come.
        case documentStart
        /// Before or after the root element: whitespace and markup only.
        case outside
        /// Character data inside the root element.
        case content
        /// After `<`.
        case markup
        /// After `<!`.
        case declaration
        /// Inside `<!--`, `<![CDATA[` or `<!DOCTYPE`, `matched` bytes of it read.
        case literal(Literal, matched: Int)
        /// Inside a comment, after `dashes` (at most 2) hyphens.
        case comment(dashes: Int)
        /// Inside a processing instruction (or the XML declaration), `question` after a `?`.
        case processingInstruction(question: Bool)
        /// Inside a CDATA section, after `brackets` (at most 2) `]` not yet taken as text.
        case cdata(brackets: Int)
        /// Inside the name of an element, an attribute or an end tag.
        case name(NameKind)
        /// Inside a start tag after its name or an attribute; `spaced` after whitespace.
        case inTag(spaced: Bool)
        /// Between an attribute name and `=`.
        case afterAttributeName
        /// Between `=` and the opening quote.
        case beforeValue
        case attributeValue
        /// After the `/` of `/>`.
        case emptyTagEnd
        /// Between the name of an end tag and `>`.
        case afterEndTagName
        /// After `&`, in text or in an attribute value.
        case reference(inAttribute: Bool)
    }

    /// What a name being read names.
    enum NameKind {
        case element, attribute, endTag
    }

    /// The markup that `<!` can start.
    enum Literal {
        case comment, cdata, doctype

        var text: StaticString {
            switch self {
            case .comment: "<!--"
            case .cdata: "<![CDATA["
            case .doctype: "<!DOCTYPE"
            }
        }
    }

    /// An element whose start tag was read and whose end tag was not.
    struct OpenElement {
        let name: QualifiedName
        /// Where its `<` is.
        let start: XMLPosition
    }

    let limits: XMLLimits
    var state = State.documentStart
    /// Offset, in the whole input, of the first byte of the next `scan`.
    private(set) var offset = 0
    private var line = 1
    /// Offset of the first byte of the current line.
    private var lineStart = 0
    /// The last byte of the previous `scan`, so a CRLF cut in two is still one line end.
    private var lastByte: UInt8 = 0

    /// The elements open, innermost last.
    var open: [OpenElement] = []
    var rootClosed = false
    /// The second half of an empty element, reported on the next call.
    var pendingEvent: XMLEvent?

    /// The part of a name read before the last chunk ended (empty while a name is read from one
    /// chunk), and where the name starts.
    var name: [UInt8] = []
    var nameStart = XMLPosition(byteOffset: 0, line: 1, column: 1)
    /// Where the `<` of the markup being read is.
    var tagStart = XMLPosition(byteOffset: 0, line: 1, column: 1)
    /// The attributes of the start tag being read, the one being read and its opening quote.
    var attributes: [XMLAttribute] = []
    var attributeName = QualifiedName(local: "", prefix: nil, packed: nil)
    var quote: UInt8 = 0
    var value: [UInt8] = []
    var valueStart = XMLPosition(byteOffset: 0, line: 1, column: 1)
    /// The character data since the last tag, and where it starts.
    var text: [UInt8] = []
    var textStart = XMLPosition(byteOffset: 0, line: 1, column: 1)
    /// The bytes between `&` and `;`, and where the `&` is.
    var reference: [UInt8] = []
    var referenceStart = XMLPosition(byteOffset: 0, line: 1, column: 1)

    init(limits: XMLLimits) {
        self.limits = limits
    }

    /// The position of the next byte to be scanned.
    var position: XMLPosition {
        XMLPosition(byteOffset: offset, line: line, column: offset - lineStart + 1)
    }

    /// The position of `input[index]` of the current `scan`.
    @inline(__always)
    func position(_ index: Int) -> XMLPosition {
        XMLPosition(byteOffset: offset &+ index, line: line, column: offset &+ index &- lineStart &+ 1)
    }

    /// Scans from the start of `input` until an event completes or the input is used up.
    ///
    /// - Returns: the event, if one completed, and how many bytes of `input` were consumed.
    /// - Throws: `XMLError` at the first byte that makes the document ill-formed or over a limit.
    mutating func scan(_ input: UnsafeBufferPointer<UInt8>) throws(XMLError) -> (event: XMLEvent?, consumed: Int) {
        if let event = pendingEvent {
            pendingEvent = nil
            return (event, 0)
        }
        guard let base = input.baseAddress else { return (nil, 0) }
        var cursor = Cursor(base: base, end: input.count)
        while !cursor.isAtEnd {
            var event: XMLEvent?
            switch state {
            case .documentStart: skipByteOrderMark(&cursor)
            case .outside: try scanOutside(&cursor)
            case .content: try scanContent(&cursor)
            case .markup: event = try scanMarkup(&cursor)
            case .declaration: try scanDeclaration(&cursor)
            case .literal(let literal, let matched): try scanLiteral(literal, matched: matched, &cursor)
            case .comment(let dashes): skipComment(dashes: dashes, &cursor)
            case .processingInstruction(let question): skipProcessingInstruction(question: question, &cursor)
            case .cdata(let brackets): try scanCDATA(brackets: brackets, &cursor)
            case .name(let kind): try scanName(kind, &cursor)
            case .inTag(let spaced): event = try scanInTag(spaced: spaced, &cursor)
            case .afterAttributeName: try scanAfterAttributeName(&cursor)
            case .beforeValue: try scanBeforeValue(&cursor)
            case .attributeValue: try scanAttributeValue(&cursor)
            case .emptyTagEnd: event = try scanEmptyTagEnd(&cursor)
            case .afterEndTagName: event = try scanAfterEndTagName(&cursor)
            case .reference(let inAttribute): try scanReference(inAttribute: inAttribute, &cursor)
            }
            if let event { return (event, consumed(cursor)) }
        }
        return (nil, consumed(cursor))
    }

    /// Ends the input: fine after the root element closed, else an error saying what is open.
    func finish() throws(XMLError) {
        let at = position
        switch state {
        case .documentStart, .outside:
            if !rootClosed { throw .noRootElement(at: at) }
        case .content:
            guard let element = open.last else { throw .noRootElement(at: at) }
            throw .unclosedElement(element.name.written, openedAt: element.start, at: at)
        case .markup, .name, .inTag, .afterAttributeName, .beforeValue, .attributeValue, .emptyTagEnd,
            .afterEndTagName:
            throw .unterminated(.tag, startedAt: tagStart, at: at)
        case .declaration, .literal:
            throw .unterminated(.declaration, startedAt: tagStart, at: at)
        case .comment:
            throw .unterminated(.comment, startedAt: tagStart, at: at)
        case .processingInstruction:
            throw .unterminated(.processingInstruction, startedAt: tagStart, at: at)
        case .cdata:
            throw .unterminated(.cdataSection, startedAt: tagStart, at: at)
        case .reference:
            throw .unterminated(.reference, startedAt: referenceStart, at: at)
        }
    }

    /// Notes how far this `scan` got.
    private mutating func consumed(_ cursor: Cursor) -> Int {
        if cursor.index > 0 { lastByte = cursor.base[cursor.index &- 1] }
        offset &+= cursor.index
        return cursor.index
    }

    /// Skips a UTF-8 byte order mark at the very start; positions go on as if it were not there.
    private mutating func skipByteOrderMark(_ cursor: inout Cursor) {
        // The bytes are checked UTF-8, so a lead byte 0xEF comes with both its continuation bytes.
        let bytes = cursor.base + cursor.index
        if bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            cursor.index &+= 3
            lineStart = offset &+ cursor.index
        }
        state = .outside
    }

    /// Whether the CR or LF at the cursor ends a line of its own (it is not the LF of a CRLF).
    @inline(__always)
    func startsLineEnd(_ cursor: Cursor) -> Bool {
        let previous = cursor.index == 0 ? lastByte : cursor.base[cursor.index &- 1]
        return !(cursor.byte == .lf && previous == .cr)
    }

    /// Counts the CR or LF at the cursor, which the caller then consumes.
    @inline(__always)
    mutating func lineBreak(_ cursor: Cursor) {
        if startsLineEnd(cursor) { line &+= 1 }
        lineStart = offset &+ cursor.index &+ 1
    }

    /// Consumes whitespace, counting lines; whether there was any.
    @discardableResult
    mutating func skipWhitespace(_ cursor: inout Cursor) -> Bool {
        let start = cursor.index
        while !cursor.isAtEnd, cursor.byte.isXMLWhitespace {
            if cursor.byte == .lf || cursor.byte == .cr { lineBreak(cursor) }
            cursor.index &+= 1
        }
        return cursor.index > start
    }

    /// The state for what follows markup outside a tag.
    var textState: State { open.isEmpty ? .outside : .content }

    /// An `unexpectedCharacter` error for the byte at the cursor.
    func unexpected(_ cursor: Cursor, expected: String) -> XMLError {
        .unexpectedCharacter(
            quotedCharacter(at: cursor.base + cursor.index), expected: expected, at: position(cursor.index))
    }
}

/// The bytes of one `scan` call and how far they are consumed.
struct Cursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    var index = 0

    init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    var isAtEnd: Bool {
        @inline(__always) get { index == end }
    }

    /// The byte at the cursor; only when not at the end.
    var byte: UInt8 {
        @inline(__always) get { base[index] }
    }

    /// Consumes the bytes for which `isOrdinary` holds and returns them.
    @inline(__always)
    mutating func run(while isOrdinary: (UInt8) -> Bool) -> UnsafeBufferPointer<UInt8> {
        let start = index
        while index < end, isOrdinary(base[index]) { index &+= 1 }
        return UnsafeBufferPointer(start: base + start, count: index &- start)
    }
}
