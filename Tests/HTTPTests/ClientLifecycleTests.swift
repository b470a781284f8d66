import CCurl
import Synchronization
import Testing

@testable import HTTP

/// The client's event loop: it ends when the client is let go, and a transfer libcurl will not take
/// fails instead of leaving its caller waiting.
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

    @Test func aTransferTheMultiHandleRefusesFailsWithTheReasonInsteadOfHanging() async throws {
        let loop = CurlMultiLoop(configuration: HTTPClientConfiguration())
        defer { loop.shutdown() }
        let other = try #require(curl_multi_init())
        defer { curl_multi_cleanup(other) }
        let held = Mutex<CurlTransfer?>(nil)
        let url = "http://127.0.0.1:9/"
        var failure: (any Error)?
        do {
            _ = try await withCheckedThrowingContinuation { continuation in
                let transfer = CurlTransfer(
                    id: loop.makeID(), request: HTTPRequest(method: "GET", target: url), continuation: continuation)
                held.withLock { $0 = transfer }
                // An easy handle belongs to one multi handle at a time: the loop's add now fails.
                #expect(curl_multi_add_handle(other, transfer.easy) == CURLM_OK)
                loop.enqueue(transfer)
            }
        } catch {
            failure = error
        }
        held.withLock { transfer in
            if let transfer { curl_multi_remove_handle(other, transfer.easy) }
            transfer = nil
        }
        let reason = String(cString: curl_multi_strerror(CURLM_ADDED_ALREADY))
        #expect(
            failure as? HTTPClientError
                == .transport(
                    method: "GET", url: url,
                    reason: "libcurl could not start the request (curl_multi_add_handle: \(reason))"))
    }
}
