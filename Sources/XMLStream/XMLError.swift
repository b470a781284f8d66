/// Why a document cannot be read: it is not well-formed XML, not UTF-8, or over a limit.
///
/// Every case carries the position it is about. The description reads `LINE:COLUMN: reason`;
/// callers put the file name in front (`xl/worksheets/sheet1.xml:3:17: end tag </row> does not
/// match <c> opened at 3:2`).
public enum XMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes here are not UTF-8 (or the input ended inside a multi-byte character).
    case invalidUTF8(at: XMLPosition)
    /// The input starts like UTF-16 (a byte order mark); only UTF-8 is read.
    case unsupportedEncoding(at: XMLPosition)
    /// A NUL byte, which XML does not allow anywhere.
    case nulCharacter(at: XMLPosition)
    /// A `<!DOCTYPE …>`; refused so that no entity is ever defined, let alone expanded.
    case doctypeNotAllowed(at: XMLPosition)
    /// A character the grammar does not allow here; `expected` says what would be.
    case unexpectedCharacter(String, expected: String, at: XMLPosition)
    /// A name with an empty prefix or local part, or more than one colon.
    case malformedName(String, at: XMLPosition)
    /// An end tag that does not close the innermost open element.
    case mismatchedEndTag(found: String, open: String, openedAt: XMLPosition, at: XMLPosition)
    /// An end tag with no element open.
    case unexpectedEndTag(String, at: XMLPosition)
    /// A second element at the top level.
    case secondRootElement(String, at: XMLPosition)
    /// Text or CDATA before or after the root element; only whitespace, comments and processing
    /// instructions may be there.
    case textOutsideRootElement(at: XMLPosition)
    /// The same attribute twice in one start tag.
    case duplicateAttribute(String, at: XMLPosition)
    /// A `<` inside an attribute value.
    case lessThanInAttributeValue(at: XMLPosition)
    /// An `&` that does not start a reference ending in `;`.
    case malformedReference(at: XMLPosition)
    /// A reference to an entity other than the five XML predefines.
    case unknownEntity(String, at: XMLPosition)
    /// A character reference with bad digits or to a code point that is not a Unicode scalar
    /// value (a surrogate, beyond U+10FFFF) or is U+0000.
    case invalidCharacterReference(String, at: XMLPosition)
    /// Nothing but whitespace, comments and processing instructions before the input ended.
    case noRootElement(at: XMLPosition)
    /// The input ended with an element still open.
    case unclosedElement(String, openedAt: XMLPosition, at: XMLPosition)
    /// The input ended inside a tag, comment, CDATA section, processing instruction or reference.
    case unterminated(Construct, startedAt: XMLPosition, at: XMLPosition)
    /// A limit of `XMLLimits` was exceeded; `value` is the limit in force.
    case limitExceeded(Limit, value: Int, at: XMLPosition)

    /// The construct the input ended inside.
    public enum Construct: String, Equatable, Sendable {
        case tag = "tag"
        case comment = "comment"
        case cdataSection = "CDATA section"
        case processingInstruction = "processing instruction"
        case declaration = "<! declaration"
        case reference = "reference"
    }

    /// One limit of `XMLLimits`.
    public enum Limit: String, Equatable, Sendable {
        case maxDepth
        case maxNameBytes
        case maxAttributes
        case maxTextBytes
    }

    /// Where the problem is.
    public var position: XMLPosition {
        switch self {
        case .invalidUTF8(let at), .unsupportedEncoding(let at), .nulCharacter(let at), .doctypeNotAllowed(let at),
            .unexpectedCharacter(_, _, let at), .malformedName(_, let at), .mismatchedEndTag(_, _, _, let at),
            .unexpectedEndTag(_, let at), .secondRootElement(_, let at), .textOutsideRootElement(let at),
            .duplicateAttribute(_, let at), .lessThanInAttributeValue(let at), .malformedReference(let at),
            .unknownEntity(_, let at), .invalidCharacterReference(_, let at), .noRootElement(let at),
            .unclosedElement(_, _, let at), .unterminated(_, _, let at), .limitExceeded(_, _, let at):
            at
        }
    }

    /// What is wrong, without the position.
    public var reason: String {
        switch self {
        case .invalidUTF8:
            "text is not valid UTF-8 here; only UTF-8 is read"
        case .unsupportedEncoding:
            "text starts with a UTF-16 byte order mark; only UTF-8 is read"
        case .nulCharacter:
            "NUL byte, which XML does not allow; is the file UTF-16?"
        case .doctypeNotAllowed:
            "DOCTYPE not allowed; documents with a document type declaration are refused"
        case .unexpectedCharacter(let character, let expected, _):
            "unexpected \(character); expected \(expected)"
        case .malformedName(let name, _):
            "malformed name \"\(name)\"; a name has at most one colon, with text on both sides"
        case .mismatchedEndTag(let found, let open, let openedAt, _):
            "end tag </\(found)> does not match <\(open)> opened at \(openedAt)"
        case .unexpectedEndTag(let name, _):
            "end tag </\(name)> with no element open"
        case .secondRootElement(let name, _):
            "second root element <\(name)>; a document has exactly one"
        case .textOutsideRootElement:
            "text outside the root element; only whitespace, comments and processing instructions may be there"
        case .duplicateAttribute(let name, _):
            "attribute \(name) appears twice in one start tag"
        case .lessThanInAttributeValue:
            "'<' in an attribute value; write it as &lt;"
        case .malformedReference:
            "'&' does not start a reference like &amp; or &#38; ending in ';'; write a literal & as &amp;"
        case .unknownEntity(let reference, _):
            "unknown entity \(reference): only &lt; &gt; &amp; &quot; &apos; and character references are read"
        case .invalidCharacterReference(let reference, _):
            "character reference \(reference) is not a character XML allows"
        case .noRootElement:
            "input ended before a root element"
        case .unclosedElement(let name, let openedAt, _):
            "input ended with <\(name)> opened at \(openedAt) still open"
        case .unterminated(let construct, let startedAt, _):
            "input ended inside a \(construct.rawValue) started at \(startedAt)"
        case .limitExceeded(let limit, let value, _):
            "\(limit.exceeded(value)) (XMLLimits.\(limit.rawValue))"
        }
    }

    /// `LINE:COLUMN: reason`.
    public var description: String { "\(position): \(reason)" }
}

extension XMLError.Limit {
    /// What went past the limit `value`, for the message.
    fileprivate func exceeded(_ value: Int) -> String {
        switch self {
        case .maxDepth: "elements nested more than \(value) deep"
        case .maxNameBytes: "name or reference longer than \(value) bytes"
        case .maxAttributes: "more than \(value) attributes in one start tag"
        case .maxTextBytes: "text or attribute value longer than \(value) bytes"
        }
    }
}
