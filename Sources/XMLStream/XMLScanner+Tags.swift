/// Start tags, attributes and end tags, and the stack of open elements they keep.
extension XMLScanner {
    /// After `<`: an end tag, a declaration, a processing instruction or a start tag. The text
    /// read since the last tag is reported as a tag starts.
    mutating func scanMarkup(_ cursor: inout Cursor) throws(XMLError) -> XMLEvent? {
        let byte = cursor.byte
        switch byte {
        case .slash:
            cursor.index &+= 1
            beginName(cursor)
            state = .name(.endTag)
            return takeText()
        case .exclamation:
            cursor.index &+= 1
            state = .declaration
            return nil
        case .question:
            cursor.index &+= 1
            state = .processingInstruction(question: false)
            return nil
        default:
            guard byte.isNameStartByte else { throw unexpected(cursor, expected: "a name, '/', '!' or '?' after '<'") }
            beginName(cursor)
            state = .name(.element)
            return takeText()
        }
    }

    /// Consumes name bytes; once the name ends, goes on with all of it.
    ///
    /// A name read from one chunk, the usual case, is used where it lies; only a name cut by the
    /// end of a chunk is gathered in `name`.
    mutating func scanName(_ kind: NameKind, _ cursor: inout Cursor) throws(XMLError) {
        // Element and attribute names start on a byte already checked; an end tag's may not.
        if name.isEmpty && !cursor.byte.isNameStartByte { throw unexpected(cursor, expected: "a name after '</'") }
        let run = cursor.run { $0.isNameByte }
        if name.isEmpty && !cursor.isAtEnd {
            try checkNameLimit(run.count)
            try nameEnded(kind, run)
            return
        }
        try checkNameLimit(name.count &+ run.count)
        name.append(contentsOf: run)
        guard !cursor.isAtEnd else { return }
        let whole = name
        try whole.withUnsafeBufferPointer { bytes throws(XMLError) in try nameEnded(kind, bytes) }
    }

    private mutating func nameEnded(_ kind: NameKind, _ bytes: UnsafeBufferPointer<UInt8>) throws(XMLError) {
        switch kind {
        case .element: try elementNameEnded(bytes)
        case .attribute: try attributeNameEnded(bytes)
        case .endTag: try endTagNameEnded(bytes)
        }
    }

    /// Opens the element (it counts for the depth limit from here on).
    private mutating func elementNameEnded(_ bytes: UnsafeBufferPointer<UInt8>) throws(XMLError) {
        let name = try QualifiedName(bytes, start: nameStart)
        if open.isEmpty && rootClosed {
            throw .secondRootElement(String(decoding: bytes, as: UTF8.self), at: tagStart)
        }
        if open.count >= limits.maxDepth {
            throw .limitExceeded(.maxDepth, value: limits.maxDepth, at: tagStart)
        }
        open.append(OpenElement(name: name, start: tagStart))
        state = .inTag(spaced: false)
    }

    private mutating func attributeNameEnded(_ bytes: UnsafeBufferPointer<UInt8>) throws(XMLError) {
        let name = try QualifiedName(bytes, start: nameStart)
        if attributes.contains(where: { $0.name == name.local && $0.prefix == name.prefix }) {
            throw .duplicateAttribute(String(decoding: bytes, as: UTF8.self), at: nameStart)
        }
        attributeName = name
        state = .afterAttributeName
    }

    /// Checks that the end tag closes the innermost open element.
    private mutating func endTagNameEnded(_ bytes: UnsafeBufferPointer<UInt8>) throws(XMLError) {
        guard let innermost = open.indices.last else {
            throw .unexpectedEndTag(String(decoding: bytes, as: UTF8.self), at: tagStart)
        }
        guard open[innermost].name.isWritten(as: bytes) else {
            throw .mismatchedEndTag(
                found: String(decoding: bytes, as: UTF8.self), open: open[innermost].name.written,
                openedAt: open[innermost].start, at: tagStart)
        }
        state = .afterEndTagName
    }

    /// Inside a start tag: whitespace, then the next attribute, `>` or `/>`.
    mutating func scanInTag(spaced: Bool, _ cursor: inout Cursor) throws(XMLError) -> XMLEvent? {
        let spaced = skipWhitespace(&cursor) || spaced
        guard !cursor.isAtEnd else {
            state = .inTag(spaced: spaced)
            return nil
        }
        switch cursor.byte {
        case .greaterThan:
            cursor.index &+= 1
            textStarts(cursor)
            state = .content
            return startElement()
        case .slash:
            cursor.index &+= 1
            state = .emptyTagEnd
            return nil
        case let byte where spaced && byte.isNameStartByte:
            if attributes.count >= limits.maxAttributes {
                throw .limitExceeded(.maxAttributes, value: limits.maxAttributes, at: position(cursor.index))
            }
            beginName(cursor)
            state = .name(.attribute)
            return nil
        default:
            throw unexpected(cursor, expected: spaced ? "an attribute name, '>' or '/>'" : "whitespace, '>' or '/>'")
        }
    }

    /// After the `/` of `/>`: the start and, on the next call, the end of an empty element.
    mutating func scanEmptyTagEnd(_ cursor: inout Cursor) throws(XMLError) -> XMLEvent? {
        guard cursor.byte == .greaterThan else { throw unexpected(cursor, expected: "'>' after '/' in a start tag") }
        cursor.index &+= 1
        textStarts(cursor)
        let start = startElement()
        pendingEvent = closeElement()
        return start
    }

    mutating func scanAfterAttributeName(_ cursor: inout Cursor) throws(XMLError) {
        skipWhitespace(&cursor)
        guard !cursor.isAtEnd else { return }
        guard cursor.byte == .equals else { throw unexpected(cursor, expected: "'=' after the attribute name") }
        cursor.index &+= 1
        state = .beforeValue
    }

    mutating func scanBeforeValue(_ cursor: inout Cursor) throws(XMLError) {
        skipWhitespace(&cursor)
        guard !cursor.isAtEnd else { return }
        guard cursor.byte == .doubleQuote || cursor.byte == .singleQuote else {
            throw unexpected(cursor, expected: "a quote (\" or ') opening the attribute value")
        }
        quote = cursor.byte
        valueStart = position(cursor.index)
        if !value.isEmpty { value.removeAll(keepingCapacity: true) }
        cursor.index &+= 1
        state = .attributeValue
    }

    /// Inside quotes: the value up to the closing quote, with references decoded and tabs and
    /// line ends (CRLF as one) turned into spaces.
    mutating func scanAttributeValue(_ cursor: inout Cursor) throws(XMLError) {
        let quote = self.quote
        let run = cursor.run {
            $0 > .cr ? $0 != quote && $0 != .lessThan && $0 != .ampersand : $0 != .tab && $0 != .lf && $0 != .cr
        }
        if value.isEmpty && !cursor.isAtEnd && cursor.byte == quote {
            // The whole value in one run, the usual case: used where it lies.
            try checkValueLimit(run.count)
            cursor.index &+= 1
            attributeEnded(String(decoding: run, as: UTF8.self))
            return
        }
        try appendValue(run)
        guard !cursor.isAtEnd else { return }
        switch cursor.byte {
        case quote:
            cursor.index &+= 1
            attributeEnded(String(decoding: value, as: UTF8.self))
        case .lessThan:
            throw .lessThanInAttributeValue(at: position(cursor.index))
        case .ampersand:
            beginReference(&cursor, inAttribute: true)
        case .tab:
            try appendValue(CollectionOfOne(.space))
            cursor.index &+= 1
        default:
            if startsLineEnd(cursor) { try appendValue(CollectionOfOne(.space)) }
            lineBreak(cursor)
            cursor.index &+= 1
        }
    }

    private mutating func attributeEnded(_ value: String) {
        // Room for a start tag's usual few attributes at once, rather than growing 1, 2, 4.
        if attributes.isEmpty { attributes.reserveCapacity(4) }
        attributes.append(XMLAttribute(name: attributeName.local, prefix: attributeName.prefix, value: value))
        state = .inTag(spaced: false)
    }

    mutating func scanAfterEndTagName(_ cursor: inout Cursor) throws(XMLError) -> XMLEvent? {
        skipWhitespace(&cursor)
        guard !cursor.isAtEnd else { return nil }
        guard cursor.byte == .greaterThan else { throw unexpected(cursor, expected: "'>' closing the end tag") }
        cursor.index &+= 1
        textStarts(cursor)
        return closeElement()
    }

    /// The start event of the innermost open element, handing over the attributes read.
    private mutating func startElement() -> XMLEvent {
        let innermost = open.count &- 1
        defer { attributes = [] }
        return .startElement(
            name: open[innermost].name.local, prefix: open[innermost].name.prefix, attributes: attributes)
    }

    /// Closes the innermost open element and returns its end event.
    private mutating func closeElement() -> XMLEvent {
        let element = open.removeLast()
        if open.isEmpty { rootClosed = true }
        state = textState
        return .endElement(name: element.name.local, prefix: element.name.prefix)
    }

    /// Starts reading a name at the cursor.
    private mutating func beginName(_ cursor: Cursor) {
        if !name.isEmpty { name.removeAll(keepingCapacity: true) }
        nameStart = position(cursor.index)
    }

    private func checkNameLimit(_ count: Int) throws(XMLError) {
        if count > limits.maxNameBytes {
            throw .limitExceeded(.maxNameBytes, value: limits.maxNameBytes, at: nameStart)
        }
    }
}
