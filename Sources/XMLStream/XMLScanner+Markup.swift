/// The markup that is skipped or refused: comments, processing instructions (the XML
/// declaration among them) and what `<!` starts.
extension XMLScanner {
    /// After `<!`: the first byte tells a comment, a CDATA section or a DOCTYPE apart.
    mutating func scanDeclaration(_ cursor: inout Cursor) throws(XMLError) {
        let literal: Literal
        switch cursor.byte {
        case .hyphen: literal = .comment
        case UInt8(ascii: "["): literal = .cdata
        case UInt8(ascii: "D"): literal = .doctype
        default: throw unexpected(cursor, expected: "'--' or '[CDATA[' after '<!'")
        }
        state = .literal(literal, matched: 2)
    }

    /// The rest of `<!--`, `<![CDATA[` or `<!DOCTYPE`, byte by byte so it may be cut anywhere.
    mutating func scanLiteral(_ literal: Literal, matched: Int, _ cursor: inout Cursor) throws(XMLError) {
        let text = literal.text
        var matched = matched
        while matched < text.utf8CodeUnitCount {
            guard !cursor.isAtEnd else {
                state = .literal(literal, matched: matched)
                return
            }
            guard cursor.byte == text.utf8Start[matched] else { throw unexpected(cursor, expected: "\"\(text)\"") }
            matched &+= 1
            cursor.index &+= 1
        }
        switch literal {
        case .comment:
            state = .comment(dashes: 0)
        case .cdata:
            guard !open.isEmpty else { throw .textOutsideRootElement(at: tagStart) }
            state = .cdata(brackets: 0)
        case .doctype:
            throw .doctypeNotAllowed(at: tagStart)
        }
    }

    /// Inside a comment: everything up to `-->`.
    mutating func skipComment(dashes: Int, _ cursor: inout Cursor) {
        var dashes = dashes
        while !cursor.isAtEnd {
            let byte = cursor.byte
            if byte == .greaterThan && dashes == 2 {
                cursor.index &+= 1
                state = textState
                return
            }
            if byte == .hyphen {
                dashes = min(dashes &+ 1, 2)
            } else {
                dashes = 0
                if byte == .cr || byte == .lf { lineBreak(cursor) }
            }
            cursor.index &+= 1
        }
        state = .comment(dashes: dashes)
    }

    /// Inside a processing instruction: everything up to `?>`.
    mutating func skipProcessingInstruction(question: Bool, _ cursor: inout Cursor) {
        var question = question
        while !cursor.isAtEnd {
            let byte = cursor.byte
            if byte == .greaterThan && question {
                cursor.index &+= 1
                state = textState
                return
            }
            question = byte == .question
            if byte == .cr || byte == .lf { lineBreak(cursor) }
            cursor.index &+= 1
        }
        state = .processingInstruction(question: question)
    }
}
