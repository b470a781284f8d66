import XMLStream

/// Chunk sizes every table case is fed in, so each buffer boundary lands somewhere in the input
/// (inside names, references, multi-byte characters, CRLF pairs and `<!--`).
let chunkSizes = [Int.max, 1, 2, 3, 7, 64]

/// What reading a document gave: the events up to the end or the error, the error, and the
/// parser's position when it stopped.
struct ReadResult: Equatable, CustomStringConvertible {
    var events: [XMLEvent] = []
    var error: XMLError?
    var position = XMLPosition(byteOffset: 0, line: 1, column: 1)

    var description: String {
        "\(events.count) events, error: \(error.map { "\($0)" } ?? "none"), stopped at \(position)"
    }
}

/// Reads `bytes` through `XMLPullParser`, feeding `chunkSize` bytes whenever it asks for input.
func read(_ bytes: [UInt8], limits: XMLLimits = XMLLimits(), chunkSize: Int = .max) -> ReadResult {
    var parser = XMLPullParser(limits: limits)
    var result = ReadResult()
    var offset = 0
    do {
        while true {
            switch try parser.next() {
            case .event(let event):
                result.events.append(event)
            case .needInput:
                guard offset < bytes.count else {
                    parser.finish()
                    continue
                }
                let count = min(chunkSize, bytes.count - offset)
                parser.feed(Array(bytes[offset..<offset + count]))
                offset += count
            case .end:
                result.position = parser.position
                return result
            }
        }
    } catch {
        result.error = error
        result.position = parser.position
        return result
    }
}

/// Reads `bytes` in every chunk size of `chunkSizes`; the results, whole input first.
func readEveryChunking(_ bytes: [UInt8], limits: XMLLimits = XMLLimits()) -> [(chunkSize: Int, result: ReadResult)] {
    chunkSizes.map { ($0, read(bytes, limits: limits, chunkSize: $0)) }
}

/// A start tag; names are written qualified (`x:row`), attributes as (qualified name, value).
func start(_ name: String, _ attributes: (String, String)...) -> XMLEvent {
    let (local, prefix) = split(name)
    let attributes = attributes.map { name, value in
        let (local, prefix) = split(name)
        return XMLAttribute(name: local, prefix: prefix, value: value)
    }
    return .startElement(name: local, prefix: prefix, attributes: attributes)
}

/// An end tag; the name written qualified.
func end(_ name: String) -> XMLEvent {
    let (local, prefix) = split(name)
    return .endElement(name: local, prefix: prefix)
}

/// A text event.
func text(_ content: String) -> XMLEvent {
    .text(content)
}

/// An element holding only text: its start, the text and its end.
func element(_ name: String, _ content: String) -> [XMLEvent] {
    [start(name), text(content), end(name)]
}

private func split(_ name: String) -> (local: String, prefix: String?) {
    guard let colon = name.firstIndex(of: ":") else { return (name, nil) }
    return (String(name[name.index(after: colon)...]), String(name[..<colon]))
}
