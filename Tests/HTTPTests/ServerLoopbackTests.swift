import HTTP
import Testing

/// Answers with what it received, so tests can see the request as the handler saw it.
let echo: HTTPServer.Handler = { request in
    switch request.path {
    case "/drop":
        return .dropConnection
    case "/close":
        return .respond(HTTPResponse(status: 200, headers: ["Connection": "close"], body: Array("bye".utf8)))
    case "/empty":
        return .respond(HTTPResponse(status: 204, headers: ["Content-Length": "99"]))
    default:
        let query = request.query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let text = "\(request.method) \(request.path) [\(query)] \(String(decoding: request.body, as: UTF8.self))"
        return .respond(HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array(text.utf8)))
    }
}

/// Starts a server with `handler`, runs `body` with a fresh client on it away from the cooperative pool, then
/// shuts the server down.
func withServer<T: Sendable>(
    handler: @escaping HTTPServer.Handler = echo, _ body: @escaping @Sendable (HTTPServer, RawClient) throws -> T
) async throws -> T {
    let server = try HTTPServer.start(handler: handler)
    defer { server.shutdown() }
    return try await blocking { try body(server, RawClient(port: server.port)) }
}

@Suite("HTTPServer over loopback")
struct ServerLoopbackTests {
    @Test func getRoundTrip() async throws {
        let (response, baseURL, port) = try await withServer { server, client in
            try client.send("GET /devices?iccid=8901&x=a%20b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return (try client.response(), server.baseURL, server.port)
        }
        #expect(baseURL == "http://127.0.0.1:\(port)")
        #expect(response.status == 200)
        #expect(response.text == "GET /devices [iccid=8901&x=a b] ")
        #expect(response.headers["Content-Length"] == "\(response.body.count)")
        #expect(response.headers["Content-Type"] == "text/plain")
        #expect(response.headers["Connection"] == nil)
    }

    @Test func keepAliveServesTwoRequestsOnOneConnection() async throws {
        let (first, second, open, peak) = try await withServer { server, client in
            try client.send("PUT /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
            let first = try client.response()
            try client.send("GET /b HTTP/1.1\r\n\r\n")
            return (first, try client.response(), server.openConnections, server.peakConnections)
        }
        #expect(first.text == "PUT /a [] hello")
        #expect(second.text == "GET /b [] ")
        #expect(open == 1)
        #expect(peak == 1)
    }

    @Test func connectionCloseIsHonoured() async throws {
        let (response, rest) = try await withServer { _, client in
            try client.send("GET /a HTTP/1.1\r\nConnection: close\r\n\r\n")
            return (try client.response(), try client.readToEnd())
        }
        #expect(response.headers["Connection"] == "close")
        #expect(rest.isEmpty)
    }

    @Test func handlerAskingToCloseIsHonoured() async throws {
        let (response, rest) = try await withServer { _, client in
            // The second request is already on its way; the server must still answer the first, then close.
            try client.send("GET /close HTTP/1.1\r\n\r\nGET /a HTTP/1.1\r\n\r\n")
            return (try client.response(), try client.readToEnd())
        }
        #expect(response.text == "bye")
        #expect(response.headers["Connection"] == "close")
        #expect(rest.isEmpty)
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() async throws {
        let (kept, closed, rest) = try await withServer { _, client in
            try client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let kept = try client.response()
            try client.send("GET /b HTTP/1.0\r\n\r\n")
            return (kept, try client.response(), try client.readToEnd())
        }
        #expect(kept.headers["Connection"] == "keep-alive")
        #expect(closed.text == "GET /b [] ")
        #expect(closed.headers["Connection"] == "close")
        #expect(rest.isEmpty)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let texts = try await withServer { _, client in
            try client.send(
                "GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 4\r\n\r\nbodyGET /3?q=1 HTTP/1.1\r\n\r\n")
            return try (1...3).map { _ in try client.response().text }
        }
        #expect(texts == ["GET /1 [] ", "POST /2 [] body", "GET /3 [q=1] "])
    }

    @Test func dropConnectionClosesWithoutAResponse() async throws {
        let (rest, next) = try await withServer { server, client in
            try client.send("GET /drop HTTP/1.1\r\n\r\n")
            let rest = try client.readToEnd()
            let next = try RawClient(port: server.port)
            try next.send("GET /after HTTP/1.1\r\n\r\n")
            return (rest, try next.response())
        }
        #expect(rest.isEmpty)
        #expect(next.status == 200)
    }

    @Test func headGetsTheLengthButNoBody() async throws {
        let (head, next) = try await withServer { _, client in
            try client.send("HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
            // Had a body been sent, it would be read as the second response.
            return (try client.response(bodyless: true), try client.response())
        }
        #expect(head.headers["Content-Length"] == "\("HEAD /a [] ".utf8.count)")
        #expect(next.text == "GET /b [] ")
    }

    @Test func noContentHasNoLength() async throws {
        let (empty, next) = try await withServer { _, client in
            try client.send("GET /empty HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
            return (try client.response(), try client.response())
        }
        #expect(empty.status == 204)
        #expect(empty.headers["Content-Length"] == nil)
        #expect(next.text == "GET /b [] ")
    }

    @Test func expectContinueGetsAnInterimResponse() async throws {
        let (interim, response) = try await withServer { _, client in
            try client.send("PUT /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
            let interim = try client.readHead()
            try client.send("abc")
            return (interim, try client.response())
        }
        #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(response.text == "PUT /up [] abc")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let request: [UInt8]
        let status: Int
        var testDescription: String { name }
    }

    static let refusals = [
        Refusal(name: "malformed", request: Array("HELLO\r\n\r\n".utf8), status: 400),
        Refusal(
            name: "chunked",
            request: Array("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n".utf8),
            status: 411),
        Refusal(
            name: "body over 16 MiB", request: Array("PUT / HTTP/1.1\r\nContent-Length: 16777217\r\n\r\n".utf8),
            status: 413),
        Refusal(
            name: "head over 64 KiB",
            request: Array(("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 70_000) + "\r\n\r\n").utf8),
            status: 431),
        Refusal(name: "HTTP/2.0", request: Array("GET / HTTP/2.0\r\n\r\n".utf8), status: 505),
    ]

    @Test(arguments: refusals)
    func refusedRequestsGetAStatusAndTheConnectionCloses(_ refusal: Refusal) async throws {
        let (response, rest) = try await withServer { _, client in
            try client.send(refusal.request)
            return (try client.response(), try client.readToEnd())
        }
        #expect(response.status == refusal.status)
        #expect(response.headers["Connection"] == "close")
        #expect(response.headers["Content-Length"] == "\(response.body.count)")
        #expect(rest.isEmpty)
    }

    @Test func refusedBodyStillInFlightDoesNotHideTheAnswer() async throws {
        let response = try await withServer { _, client in
            // The server answers 413 from the head; the client goes on sending the body it announced.
            try client.send("PUT / HTTP/1.1\r\nContent-Length: \(16 * 1024 * 1024 + 1)\r\n\r\n")
            try? client.send([UInt8](repeating: 0x61, count: 4 * 1024 * 1024))
            return try client.response()
        }
        #expect(response.status == 413)
    }

    @Test func largeBodiesBothWays() async throws {
        let size = 3 * 1024 * 1024 + 17
        let handler: HTTPServer.Handler = { request in
            .respond(HTTPResponse(status: 200, body: request.body.reversed()))
        }
        let body = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let response = try await withServer(handler: handler) { _, client in
            try client.send(Array("POST /big HTTP/1.1\r\nContent-Length: \(size)\r\n\r\n".utf8) + body)
            return try client.response()
        }
        #expect(response.body == body.reversed())
    }
}
