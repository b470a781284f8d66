/// Limits against hostile documents; every refusal names the limit and the value.
///
/// They bound the memory one parser holds whatever the document: the open elements, the names,
/// the attributes of one start tag and one text or attribute value at a time.
public struct XMLLimits: Sendable, Equatable {
    /// How deeply elements may nest; the root element is at depth 1.
    public var maxDepth: Int
    /// The longest element or attribute name, prefix included, in UTF-8 bytes; also caps the
    /// text between `&` and `;` of a reference.
    public var maxNameBytes: Int
    /// The most attributes one start tag may have.
    public var maxAttributes: Int
    /// The longest text (one `XMLEvent.text`) or attribute value, in UTF-8 bytes after decoding.
    public var maxTextBytes: Int

    /// Limits generous for spreadsheet parts: 64 levels, 1 KiB names, 256 attributes, 1 MiB texts.
    public init(maxDepth: Int = 64, maxNameBytes: Int = 1_024, maxAttributes: Int = 256, maxTextBytes: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxNameBytes = maxNameBytes
        self.maxAttributes = maxAttributes
        self.maxTextBytes = maxTextBytes
    }
}
