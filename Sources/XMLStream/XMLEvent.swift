/// What a pull parser reports, one document construct at a time.
public enum XMLEvent: Equatable, Sendable {
    /// A start tag, or the first half of an empty element `<a/>` (its end follows at once).
    ///
    /// `name` is the local name, `prefix` the namespace prefix written before it (`x` in
    /// `<x:row>`), not resolved to a namespace URI; `xmlns` declarations are ordinary attributes.
    case startElement(name: String, prefix: String?, attributes: [XMLAttribute])
    /// An end tag, or the second half of an empty element.
    case endElement(name: String, prefix: String?)
    /// All character data between two tags, in one piece.
    ///
    /// CDATA sections are included and comments and processing instructions left out, so
    /// `a<!-- c --><![CDATA[<b>]]>` is the one text `a<b>`. Entities and character references
    /// are decoded and line ends normalised to LF. Whitespace-only text inside the root element
    /// is reported; text outside it never is (it can only be whitespace).
    case text(String)
}

/// One attribute of a start tag.
public struct XMLAttribute: Equatable, Sendable {
    /// The local name, without its prefix (`space` in `xml:space`).
    public let name: String
    /// The namespace prefix written before the name, if any.
    public let prefix: String?
    /// The value with entities and character references decoded and tabs and line ends turned
    /// into spaces, as XML prescribes for attributes (`&#10;` still gives a line feed).
    public let value: String

    /// An attribute; see the properties for what each part holds.
    public init(name: String, prefix: String? = nil, value: String) {
        self.name = name
        self.prefix = prefix
        self.value = value
    }
}

/// The outcome of one `XMLPullParser.next()` call.
public enum XMLStep: Equatable, Sendable {
    /// The next event of the document.
    case event(XMLEvent)
    /// Every byte fed so far has been parsed; feed more or call `finish()`.
    case needInput
    /// The root element closed and the input is finished; every later call says so again.
    case end
}
