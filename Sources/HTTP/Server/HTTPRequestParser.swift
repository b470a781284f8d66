/// Reads HTTP/1.x requests out of the bytes of one connection.
///
/// A pure state machine with no I/O: the connection feeds what it receives with `feed(_:)` and asks `next()` what
/// to do. Bytes after one request are the start of the next, so pipelined requests come out of successive `next()`
/// calls. Bodies are framed by `Content-Length` only; a chunked body is refused.
struct HTTPRequestParser {
    /// What the connection should do next.
    enum Event: Equatable, Sendable {
        /// Nothing complete yet: receive more bytes and feed them.
        case needMore
        /// The client waits for `100 Continue` before it sends the body (`Expect: 100-continue`); send it, then
        /// call `next()` again.
        case sendContinue
        /// A whole request; `keepAlive` is false when the connection must close after the response.
        case request(HTTPRequest, keepAlive: Bool)
        /// Not an acceptable request: answer `error.status` and close. Every later call repeats the error.
        case error(HTTPRequestError)
    }

    /// The most bytes the request line and headers may take, line breaks included.
    let maxHeadBytes: Int
    /// The largest body accepted.
    let maxBodyBytes: Int

    private enum State {
        /// Looking for the empty line that ends the head; the first `scanned` unconsumed bytes hold none.
        case head(scanned: Int)
        /// The head is parsed; waiting for `length` body bytes.
        case body(HTTPRequest, keepAlive: Bool, length: Int)
        case failed(HTTPRequestError)
    }

    private var state = State.head(scanned: 0)
    private var buffer: [UInt8] = []
    /// The index in `buffer` of the first byte not yet consumed.
    private var start = 0

    init(maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int = 16 * 1024 * 1024) {
        self.maxHeadBytes = maxHeadBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Bytes fed but not yet consumed by a request.
    var bufferedCount: Int { buffer.count - start }

    /// Appends bytes received from the connection.
    mutating func feed(_ bytes: some Collection<UInt8>) {
        if start == buffer.count {
            // Everything so far was consumed; let a large body's storage go rather than keep it for the connection.
            if buffer.capacity > Self.retainedCapacity { buffer = [] } else { buffer.removeAll(keepingCapacity: true) }
            start = 0
        } else if start >= Self.retainedCapacity / 16, start * 2 >= buffer.count {
            buffer.removeSubrange(..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Consumes what the fed bytes allow and says what to do next.
    mutating func next() -> Event {
        switch state {
        case .failed(let error):
            return .error(error)
        case .body(let request, let keepAlive, let length):
            return takeBody(of: request, keepAlive: keepAlive, length: length)
        case .head(var scanned):
            if skipEmptyLines() { scanned = 0 }
            guard let end = endOfHead(scanningFrom: start + scanned) else {
                guard bufferedCount <= maxHeadBytes else { return fail(.headTooLarge(limit: maxHeadBytes)) }
                // A line break and the start of the empty line may already be here.
                state = .head(scanned: max(0, bufferedCount - 2))
                return .needMore
            }
            guard end - start <= maxHeadBytes else { return fail(.headTooLarge(limit: maxHeadBytes)) }
            let head: Head
            let framing: Framing
            do {
                head = try Self.parseHead(buffer[start..<end])
                framing = try head.framing(maxBodyBytes: maxBodyBytes)
            } catch {
                return fail(error)
            }
            start = end
            let request = HTTPRequest(method: head.method, target: head.target, headers: head.headers)
            if framing.expectsContinue, framing.bodyLength > 0, bufferedCount == 0 {
                state = .body(request, keepAlive: framing.keepAlive, length: framing.bodyLength)
                return .sendContinue
            }
            return takeBody(of: request, keepAlive: framing.keepAlive, length: framing.bodyLength)
        }
    }

    private mutating func takeBody(of request: HTTPRequest, keepAlive: Bool, length: Int) -> Event {
        guard bufferedCount >= length else {
            state = .body(request, keepAlive: keepAlive, length: length)
            return .needMore
        }
        var request = request
        request.body = Array(buffer[start..<start + length])
        start += length
        state = .head(scanned: 0)
        return .request(request, keepAlive: keepAlive)
    }

    private mutating func fail(_ error: HTTPRequestError) -> Event {
        state = .failed(error)
        return .error(error)
    }

    /// Drops line breaks in front of a request line, as RFC 9112 asks; true if any were dropped.
    private mutating func skipEmptyLines() -> Bool {
        let first = start
        while start < buffer.count, buffer[start] == ASCII.lineFeed || buffer[start] == ASCII.carriageReturn {
            start += 1
        }
        return start != first
    }

    /// The index just past the empty line that ends the head (`LF LF` or `LF CR LF`), if it is in the buffer.
    private func endOfHead(scanningFrom first: Int) -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            var index = first
            while index < bytes.count {
                if bytes[index] == ASCII.lineFeed {
                    if index + 1 < bytes.count, bytes[index + 1] == ASCII.lineFeed { return index + 2 }
                    if index + 2 < bytes.count, bytes[index + 1] == ASCII.carriageReturn,
                        bytes[index + 2] == ASCII.lineFeed
                    {
                        return index + 3
                    }
                }
                index += 1
            }
            return nil
        }
    }

    /// How much buffer storage a connection keeps between requests.
    private static let retainedCapacity = 1024 * 1024
}
