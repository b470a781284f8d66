import Testing

@testable import HTTP

/// The client's event loop ends when the client is let go or shut down.
@Suite("HTTPClient lifecycle")
struct ClientLifecycleTests {
    @Test func clientLetGoWithoutShutdownEndsItsThreadAndFreesItsLoop() async throws {
        let server = try HTTPServer.start { _ in .respond(HTTPResponse(status: 204)) }
        defer { server.shutdown() }
        var client: HTTPClient? = HTTPClient()
        #expect(try await client?.send(HTTPRequest(method: "GET", target: server.baseURL + "/")).status == 204)
        weak let loop = client?.loop
        weak let core = client?.loop.core
        #expect(loop != nil && core != nil)

        client = nil

        // The loop's deinit joined its thread; the core (and its multi handle) went with the thread's
        // closure, the only other owner. Were either captured by the thread, it would still be here.
        #expect(loop == nil)
        #expect(core == nil)
    }

    @Test func requestsAfterShutdownFailAsShutDown() async throws {
        let client = HTTPClient()
        client.shutdown()
        client.shutdown()  // again is fine
        await #expect(throws: HTTPClientError.shutDown) {
            try await client.send(HTTPRequest(method: "GET", target: "http://127.0.0.1:9/"))
        }
    }
}
