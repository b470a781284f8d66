extension HTTPServer {
    /// Serves the requests of one connection, in order, until either side closes it.
    struct Connection {
        let socket: Socket
        let handler: Handler

        func run() {
            var parser = HTTPRequestParser(maxHeadBytes: Limits.maxHeadBytes, maxBodyBytes: Limits.maxBodyBytes)
            var buffer = [UInt8](repeating: 0, count: Limits.receiveBufferSize)
            while true {
                switch parser.next() {
                case .needMore:
                    let count = buffer.withUnsafeMutableBytes { socket.receive(into: $0) }
                    guard count > 0 else { return }
                    parser.feed(buffer[..<count])
                case .sendContinue:
                    guard socket.send(Self.continueHead) else { return }
                case .request(let request, let keepAlive):
                    guard case .respond(var response) = handler(request) else { return }  // .dropConnection
                    if !response.hasFinalStatus {
                        response = .plainText(status: 500, "the handler answered with status \(response.status)")
                    }
                    let closing = !keepAlive || response.asksToClose
                    // An HTTP/1.0 client asked for keep-alive with this token and needs it back.
                    let connection =
                        closing ? "close" : request.headers.hasConnectionOption("keep-alive") ? "keep-alive" : nil
                    let withBody = request.method != "HEAD" && response.statusAllowsBody
                    guard send(response, connection: connection, withBody: withBody) else { return }
                    if closing { return closeAfterResponse() }
                case .error(let error):
                    _ = send(.plainText(status: error.status, error.description), connection: "close", withBody: true)
                    return closeAfterResponse()
                }
            }
        }

        /// Sends the head and, unless `withBody` is false, the body; false if the connection broke.
        private func send(_ response: HTTPResponse, connection: String?, withBody: Bool) -> Bool {
            let head = response.serializedHead(connection: connection)
            guard withBody, !response.body.isEmpty else { return socket.send(head) }
            if response.body.count <= Limits.coalescedBodyBytes { return socket.send(head + response.body) }
            return socket.send(head, more: true) && socket.send(response.body)
        }

        /// Ends the connection after a final response without making the client miss it.
        ///
        /// Closing a socket with unread bytes (a pipelined request, the rest of a refused body) makes the kernel
        /// reset the connection, and a reset can discard the response before the client reads it. So writing stops
        /// first, then whatever the client still sends is read and dropped until it closes, or for at most
        /// `Limits.lingerTime`.
        private func closeAfterResponse() {
            socket.shutdownWriting()
            let deadline = ContinuousClock.now + Limits.lingerTime
            socket.setReceiveTimeout(Limits.lingerTime)
            var buffer = [UInt8](repeating: 0, count: Limits.receiveBufferSize)
            while ContinuousClock.now < deadline {
                guard buffer.withUnsafeMutableBytes({ socket.receive(into: $0) }) > 0 else { return }
            }
        }

        private static let continueHead = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    }
}
