/// A streaming (pull) reader of XML in UTF-8: feed bytes in chunks of any size, pull events.
///
/// Meant for the parts of `.xlsx` workbooks and documents like them: elements, attributes and
/// text, with namespace prefixes split off but not resolved. The XML declaration, processing
/// instructions and comments are skipped; a DOCTYPE is refused, so no entity beyond the five
/// predefined ones exists and nothing can expand. Memory stays bounded by `XMLLimits` and the
/// bytes fed but not yet parsed, however long the document; the events and errors do not
/// depend on how the input is cut into chunks.
///
///     var parser = XMLPullParser()
///     parser.feed(chunk)                   // as often as there is input
///     parser.finish()                      // once there is no more
///     while case .event(let event) = try parser.next() { … }
///
/// `XMLScanner` holds the grammar; this layer owns the bytes, checks that they are UTF-8 and
/// hands the scanner only complete characters.
public struct XMLPullParser: Sendable {
    private var scanner: XMLScanner
    /// Bytes fed: `input[start..<checkedEnd]` are checked but not yet scanned, the rest is the
    /// start of a character cut by the end of the last chunk, or bytes after `problem`.
    private var input: [UInt8] = []
    private var start = 0
    private var checkedEnd = 0
    /// The first byte at `checkedEnd` that is not UTF-8 or is NUL, once seen.
    private var problem: UTF8Check?
    private var finished = false
    private var ended = false
    private var failure: XMLError?

    /// A parser waiting for its first bytes.
    public init(limits: XMLLimits = XMLLimits()) {
        scanner = XMLScanner(limits: limits)
    }

    /// The position of the next byte to be parsed; after an error, the error's position.
    public var position: XMLPosition { failure?.position ?? scanner.position }

    /// Appends input; chunks may be cut anywhere, even inside a character.
    ///
    /// - Note: Feeding after `finish()` is a programming error.
    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Appends input; chunks may be cut anywhere, even inside a character. The bytes are copied.
    ///
    /// - Note: Feeding after `finish()` is a programming error.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "XMLPullParser.feed(_:) after finish()")
        // Nothing after a bad byte will ever be parsed.
        guard problem == nil else { return }
        // Scanned bytes go once they are at least half the buffer, so each byte moves O(1) times.
        if start > 0 && start >= input.count - start {
            input.removeSubrange(..<start)
            checkedEnd -= start
            start = 0
        }
        input.append(contentsOf: bytes)
        check()
    }

    /// Says that no more input will come: what is left must complete the document.
    public mutating func finish() {
        finished = true
        if problem == nil && checkedEnd < input.count { problem = .incomplete(from: checkedEnd) }
    }

    /// The next event; `.needInput` when every byte fed is parsed and more may come, `.end` once
    /// the input is finished after the root element.
    ///
    /// - Throws: `XMLError` when the document is not well-formed, not UTF-8 or over a limit;
    ///   every later call throws the same error.
    public mutating func next() throws(XMLError) -> XMLStep {
        if let failure { throw failure }
        if ended { return .end }
        do {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func step() throws(XMLError) -> XMLStep {
        let (event, consumed) = try input.withUnsafeBufferPointer { buffer throws(XMLError) in
            try scanner.scan(UnsafeBufferPointer(rebasing: buffer[start..<checkedEnd]))
        }
        start += consumed
        if let event { return .event(event) }
        // Every checked byte is scanned.
        if let problem { throw error(for: problem) }
        guard finished else { return .needInput }
        try scanner.finish()
        ended = true
        return .end
    }

    /// Checks the bytes after `checkedEnd` and moves it past every complete character.
    private mutating func check() {
        let result = input.withUnsafeBufferPointer { checkUTF8(UnsafeBufferPointer(rebasing: $0[checkedEnd...])) }
        switch result {
        case .valid:
            checkedEnd = input.count
        case .incomplete(let from):
            checkedEnd += from
        case .invalid(let at), .nul(let at):
            checkedEnd += at
            problem = result
        }
    }

    /// The error for a bad byte the scanner has reached.
    private func error(for problem: UTF8Check) -> XMLError {
        let at = scanner.position
        switch problem {
        case .nul: return .nulCharacter(at: at)
        case .invalid where at.byteOffset == 0 && (input[start] == 0xFE || input[start] == 0xFF):
            return .unsupportedEncoding(at: at)
        case .invalid, .incomplete, .valid: return .invalidUTF8(at: at)
        }
    }
}

/// Reads a document held whole, for small ones; `XMLPullParser` streams.
///
/// - Throws: `XMLError` as `XMLPullParser.next()` does.
public func xmlEvents(_ bytes: [UInt8], limits: XMLLimits = XMLLimits()) throws(XMLError) -> [XMLEvent] {
    var parser = XMLPullParser(limits: limits)
    parser.feed(bytes)
    parser.finish()
    var events: [XMLEvent] = []
    while case .event(let event) = try parser.next() { events.append(event) }
    return events
}
