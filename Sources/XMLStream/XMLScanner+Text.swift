/// Character data: text between tags, line-end normalisation, references and CDATA sections.
extension XMLScanner {
    /// Before or after the root element: whitespace up to the next `<`.
    mutating func scanOutside(_ cursor: inout Cursor) throws(XMLError) {
        skipWhitespace(&cursor)
        guard !cursor.isAtEnd else { return }
        guard cursor.byte == .lessThan else { throw .textOutsideRootElement(at: position(cursor.index)) }
        beginMarkup(&cursor)
    }

    /// Inside the root element: text up to the next `<`, with references and line ends decoded.
    mutating func scanContent(_ cursor: inout Cursor) throws(XMLError) {
        try appendText(cursor.run { $0 != .lessThan && $0 != .ampersand && $0 != .cr && $0 != .lf })
        guard !cursor.isAtEnd else { return }
        switch cursor.byte {
        case .lessThan:
            beginMarkup(&cursor)
        case .ampersand:
            beginReference(&cursor, inAttribute: false)
        default:
            // CR, LF and CRLF all become one LF.
            if startsLineEnd(cursor) { try appendText(CollectionOfOne(.lf)) }
            lineBreak(cursor)
            cursor.index &+= 1
        }
    }

    /// Consumes the `<` at the cursor.
    mutating func beginMarkup(_ cursor: inout Cursor) {
        tagStart = position(cursor.index)
        state = .markup
        cursor.index &+= 1
    }

    /// The text read since the last tag as an event, if there is any; called as the next tag starts.
    mutating func takeText() -> XMLEvent? {
        guard !text.isEmpty else { return nil }
        defer { text.removeAll(keepingCapacity: true) }
        return .text(String(decoding: text, as: UTF8.self))
    }

    /// Notes that text starts at `cursor` (just after a tag).
    mutating func textStarts(_ cursor: Cursor) {
        textStart = position(cursor.index)
    }

    /// Appends to the text since the last tag, refusing it before it grows past the limit.
    private mutating func appendText(_ bytes: some Collection<UInt8>) throws(XMLError) {
        guard !bytes.isEmpty else { return }
        if text.count &+ bytes.count > limits.maxTextBytes {
            throw .limitExceeded(.maxTextBytes, value: limits.maxTextBytes, at: textStart)
        }
        text.append(contentsOf: bytes)
    }

    /// Appends to the attribute value being read, refusing it before it grows past the limit.
    mutating func appendValue(_ bytes: some Collection<UInt8>) throws(XMLError) {
        try checkValueLimit(value.count &+ bytes.count)
        value.append(contentsOf: bytes)
    }

    /// Refuses an attribute value of `count` bytes when that is over the limit.
    func checkValueLimit(_ count: Int) throws(XMLError) {
        if count > limits.maxTextBytes {
            throw .limitExceeded(.maxTextBytes, value: limits.maxTextBytes, at: valueStart)
        }
    }

    /// Consumes the `&` at the cursor.
    mutating func beginReference(_ cursor: inout Cursor, inAttribute: Bool) {
        referenceStart = position(cursor.index)
        reference.removeAll(keepingCapacity: true)
        state = .reference(inAttribute: inAttribute)
        cursor.index &+= 1
    }

    /// After `&`: the reference up to `;`, decoded into the text or the attribute value.
    mutating func scanReference(inAttribute: Bool, _ cursor: inout Cursor) throws(XMLError) {
        let run = cursor.run { $0.isNameByte || $0 == UInt8(ascii: "#") }
        if reference.count &+ run.count > limits.maxNameBytes {
            throw .limitExceeded(.maxNameBytes, value: limits.maxNameBytes, at: referenceStart)
        }
        reference.append(contentsOf: run)
        guard !cursor.isAtEnd else { return }
        guard cursor.byte == .semicolon, !reference.isEmpty else { throw .malformedReference(at: referenceStart) }
        cursor.index &+= 1
        let scalar: Unicode.Scalar
        switch resolveReference(reference) {
        case .character(let character):
            scalar = character
        case .unknownEntity:
            throw .unknownEntity("&\(String(decoding: reference, as: UTF8.self));", at: referenceStart)
        case .invalidCharacter:
            throw .invalidCharacterReference("&\(String(decoding: reference, as: UTF8.self));", at: referenceStart)
        }
        if inAttribute {
            try appendValue(scalar.utf8)
            state = .attributeValue
        } else {
            try appendText(scalar.utf8)
            state = .content
        }
    }

    /// Inside `<![CDATA[`: text up to `]]>`, with only line ends normalised.
    mutating func scanCDATA(brackets: Int, _ cursor: inout Cursor) throws(XMLError) {
        var brackets = brackets
        while !cursor.isAtEnd {
            if brackets == 0 {
                try appendText(cursor.run { $0 != .closingBracket && $0 != .cr && $0 != .lf })
                guard !cursor.isAtEnd else { break }
            }
            let byte = cursor.byte
            if byte == .greaterThan && brackets == 2 {
                cursor.index &+= 1
                state = .content
                return
            }
            if byte == .closingBracket {
                // Of three or more, only the last two can end the section.
                if brackets == 2 { try appendText(CollectionOfOne(.closingBracket)) } else { brackets &+= 1 }
            } else {
                try appendText(repeatElement(.closingBracket, count: brackets))
                brackets = 0
                if byte == .cr || byte == .lf {
                    if startsLineEnd(cursor) { try appendText(CollectionOfOne(.lf)) }
                    lineBreak(cursor)
                } else {
                    try appendText(CollectionOfOne(byte))
                }
            }
            cursor.index &+= 1
        }
        state = .cdata(brackets: brackets)
    }
}
