import CSV

/// A pull parser for JSON text: one event per call (`{`, a key, a string, `]`, …), in bounded
/// memory, with the position of each.
///
/// The scanner cuts bytes into tokens; the grammar says what each token means or what should
/// have come instead. The text of a key, string or number is in `text` until the next call.
struct JSONEventReader {
    /// How deep objects and arrays may nest; a bulk change needs 3.
    static let maxDepth = 64

    private var scanner: JSONScanner
    private var grammar = JSONGrammar(maxDepth: maxDepth)

    /// Reads JSON text from `source`, no more than `maxBytes` of it.
    init(source: some SeekableByteSource, maxBytes: Int) {
        scanner = JSONScanner(source: source, maxBytes: maxBytes)
    }

    /// Where the last event's token starts.
    var position: JSONPosition { scanner.tokenStart }

    /// The key, string (decoded) or number (as written) of the last event.
    var text: String { scanner.text }

    /// Objects and arrays open now.
    var depth: Int { grammar.depth }

    /// Reads past a UTF-8 byte order mark; see `JSONScanner.skipByteOrderMark()`.
    mutating func start() throws(JSONError) {
        try scanner.skipByteOrderMark()
    }

    /// Goes back (or forward) to `position`, the start of a value read before, to read that
    /// value again as if it were the whole text.
    mutating func seek(to position: JSONPosition) throws(JSONError) {
        try scanner.seek(to: position)
        grammar = JSONGrammar(maxDepth: Self.maxDepth)
    }

    /// The next event.
    ///
    /// - Throws: `JSONError` at the first thing that is not JSON, or when the file cannot be read.
    mutating func next() throws(JSONError) -> JSONEventKind {
        while true {
            let token = try scanner.next()
            switch grammar.accept(token) {
            case .event(let kind): return kind
            case .separator: continue
            case .unexpected(let expected):
                throw .unexpected(found: found(token), expected: expected, at: scanner.tokenStart)
            case .tooDeep:
                throw .tooDeep(limit: Self.maxDepth, at: scanner.tokenStart)
            }
        }
    }

    /// Reads to the end of the value that `first` starts (nothing more for a string, number,
    /// `true`, `false` or `null`).
    mutating func skipValue(startingWith first: JSONEventKind) throws(JSONError) {
        guard first == .objectStart || first == .arrayStart else { return }
        let outside = depth - 1
        while depth > outside { _ = try next() }
    }

    /// How a message names `token`: `'}'`, `a string`, `the end of the file`.
    private func found(_ token: JSONToken) -> String {
        switch token {
        case .beginObject: "'{'"
        case .endObject: "'}'"
        case .beginArray: "'['"
        case .endArray: "']'"
        case .colon: "':'"
        case .comma: "','"
        case .string: "the string \(Echo.quoted(text))"
        case .number: "the number \(Echo.plain(text))"
        case .trueLiteral: "true"
        case .falseLiteral: "false"
        case .null: "null"
        case .word: "'\(text)\(text.utf8.count >= JSONScanner.wordLimit ? "…" : "")' (text goes in double quotes)"
        case .other(let byte) where byte >= 0x20 && byte < 0x7F: "'\(Character(UnicodeScalar(byte)))'"
        case .other(let byte): "the byte 0x\(JSONError.hex(byte))"
        case .end: "the end of the file"
        }
    }
}
