/// An HTTP/1.1 client on libcurl: async requests, connections kept alive and reused.
///
/// Requests run on one dedicated event-loop thread (`CurlMultiLoop`), never on Swift's
/// cooperative pool; any number may be in flight at once (the callers bound concurrency).
/// Call `shutdown()` when done: requests still running then fail with `.shutDown`. A client let go
/// without it stops its thread once its last request has finished.
public final class HTTPClient: Sendable {
    let loop: CurlMultiLoop

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        loop = CurlMultiLoop(configuration: configuration)
    }

    /// Sends `request` (its `target` an absolute `http` or `https` URL) and returns the whole response.
    ///
    /// - Throws: `HTTPClientError` when no response arrived; an HTTP error status is a response.
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let loop = self.loop
        let id = loop.makeID()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    loop.enqueue(CurlTransfer(id: id, request: request, continuation: continuation))
                }
            } onCancel: {
                loop.cancel(id)
            }
        } catch let error as HTTPClientError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// Stops the event loop; requests still running fail with `.shutDown`. Idempotent.
    public func shutdown() {
        loop.shutdown()
    }
}
