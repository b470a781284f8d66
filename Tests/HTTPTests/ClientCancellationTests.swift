import Dispatch
import HTTP
import TestSupport
import Testing

/// A cancelled request ends with `.cancelled` at once, whatever the moment of the cancel: before
/// the request reached the event loop, while it waited there, or while the server was silent.
///
/// The server never answers and the timeouts are a minute long, so a lost cancel shows up as a
/// `.timeout` instead of `.cancelled`.
@Suite("HTTPClient cancellation")
struct ClientCancellationTests {
    static let patient = HTTPClientConfiguration(connectTimeout: .seconds(60), requestTimeout: .seconds(60))
    static let rounds = 50

    @Test func requestWhoseTaskIsCancelledBeforeSendingEndsCancelled() async throws {
        let listener = try SilentListener()
        let client = HTTPClient(configuration: Self.patient)
        defer { client.shutdown() }
        let request = HTTPRequest(method: "GET", target: "http://127.0.0.1:\(listener.port)/never")
        for _ in 0..<Self.rounds {
            let task = Task { () -> HTTPClientError? in
                withUnsafeCurrentTask { $0?.cancel() }
                return await Self.failure(of: request, on: client)
            }
            let failure = await task.value
            #expect(failure == .cancelled)
        }
    }

    @Test func requestCancelledAtTheMomentOfSendingEndsCancelled() async throws {
        let listener = try SilentListener()
        let client = HTTPClient(configuration: Self.patient)
        defer { client.shutdown() }
        let request = HTTPRequest(method: "GET", target: "http://127.0.0.1:\(listener.port)/never")
        let tasks = (0..<Self.rounds).map { _ in Task { await Self.failure(of: request, on: client) } }
        for task in tasks { task.cancel() }
        for task in tasks {
            let failure = await task.value
            #expect(failure == .cancelled)
        }
    }

    @Test func requestCancelledWhileTheServerIsSilentEndsCancelled() async throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let server = try HTTPServer.start { _ in
            entered.signal()
            release.wait()
            return .respond(HTTPResponse(status: 200))
        }
        let client = HTTPClient(configuration: Self.patient)
        defer {
            client.shutdown()
            release.signal()
            server.shutdown()
        }
        let task = Task {
            await Self.failure(of: HTTPRequest(method: "GET", target: server.baseURL + "/slow"), on: client)
        }
        // Bounded so a request that never arrives fails the test instead of hanging it.
        let arrived = try await blocking { entered.wait(timeout: .now() + .seconds(60)) }
        #expect(arrived == .success)
        task.cancel()
        let failure = await task.value
        #expect(failure == .cancelled)
    }

    /// The error `request` ended with, or `nil` when it got a response.
    static func failure(of request: HTTPRequest, on client: HTTPClient) async -> HTTPClientError? {
        do {
            _ = try await client.send(request)
            return nil
        } catch {
            return error
        }
    }
}
