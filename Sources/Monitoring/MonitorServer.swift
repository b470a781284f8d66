import Foundation
import HTTP
import Pipeline

/// The HTTP listener of `bulkdrop run` (`--listen` or the `listen` key): `/healthz`, `/readyz`,
/// `/metrics` and the status page at `/`, all read-only.
///
/// Handlers run on the server's connection threads, never on Swift's cooperative pool; each
/// request reads the store afresh, so what it shows is at most one request old.
public final class MonitorServer: Sendable {
    private let server: HTTPServer
    /// Where the listener is, with the port the system chose when the endpoint asked for 0.
    public let endpoint: ListenEndpoint

    private init(server: HTTPServer, endpoint: ListenEndpoint) {
        self.server = server
        self.endpoint = endpoint
    }

    /// How long a connection may stay silent before it is closed: longer than a scrape interval,
    /// short enough that idle clients do not pile up connection threads.
    static let idleTimeout = Duration.seconds(120)

    /// How long the listener waits for the store before it answers 503.
    public struct TimeLimits: Sendable {
        /// For `/metrics` and the status page.
        public var read: Duration
        /// For the store check of `/readyz`.
        public var readiness: Duration

        public init(read: Duration = .seconds(10), readiness: Duration = .seconds(5)) {
            self.read = read
            self.readiness = readiness
        }
    }

    /// Starts listening on `endpoint` for `workspace`.
    ///
    /// - Parameter limits: how long to wait for the store; tests that share a busy process with
    ///   many others give it longer.
    /// - Throws: `HTTPServerError` when the address cannot be bound (in use, not on this machine).
    public static func start(_ endpoint: ListenEndpoint, workspace: Workspace, limits: TimeLimits = TimeLimits())
        throws(HTTPServerError) -> MonitorServer
    {
        let routes = MonitorRoutes(
            workspace: workspace, access: RequestAccess(token: endpoint.token), limits: limits,
            worker: "\(ProcessInfo.processInfo.hostName) pid \(getpid())")
        let server = try HTTPServer.start(host: endpoint.host, port: endpoint.port, idleTimeout: idleTimeout) {
            request in
            .respond(routes.respond(to: request))
        }
        return MonitorServer(
            server: server, endpoint: ListenEndpoint(host: endpoint.host, port: server.port, token: endpoint.token))
    }

    /// Stops listening and closes every connection once their requests are answered; idempotent.
    ///
    /// The wait for the connection threads happens on a thread of its own, not on Swift's cooperative pool.
    public func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { [server] in
                server.shutdown()
                continuation.resume()
            }
        }
    }
}

/// What each path answers.
struct MonitorRoutes: Sendable {
    let workspace: Workspace
    let access: RequestAccess
    let limits: MonitorServer.TimeLimits
    /// This process as the page names it: host and pid.
    let worker: String

    func respond(to request: HTTPRequest) -> HTTPResponse {
        guard access.allows(request) else { return RequestAccess.refusal }
        guard request.method == "GET" || request.method == "HEAD" else {
            return Self.text(405, "only GET and HEAD are served here\n", extra: ["Allow": "GET, HEAD"])
        }
        switch request.path {
        case "/healthz":
            return Self.text(200, "ok\n")
        case "/readyz":
            let readiness = Readiness.check(workspace, storeTimeLimit: limits.readiness)
            return Self.text(readiness.isReady ? 200 : 503, readiness.text)
        case "/metrics":
            return observed(for: .metrics) { observation in
                Self.response(200, PrometheusText.contentType, MetricsExposition.text(observation))
            }
        case "/", "/index.html":
            return observed(for: .page) { observation in
                Self.response(200, "text/html; charset=utf-8", StatusPage.html(observation, worker: worker))
            }
        default:
            return Self.text(404, "no page \(request.path); try /, /healthz, /readyz or /metrics\n")
        }
    }

    /// The answer made from a fresh observation, or 503 saying why the store could not be read.
    private func observed(
        for purpose: ServiceObservation.Purpose, _ answer: (ServiceObservation) -> HTTPResponse
    ) -> HTTPResponse {
        do {
            let observation = try runBlocking(timeLimit: limits.read) { [workspace] in
                try await ServiceObservation.read(workspace, for: purpose)
            }
            return answer(observation)
        } catch {
            return Self.text(503, "the store could not be read: \(error)\n")
        }
    }

    private static func text(_ status: Int, _ body: String, extra: HTTPHeaders = [:]) -> HTTPResponse {
        var response = response(status, "text/plain; charset=utf-8", body)
        for (name, value) in extra { response.headers.add(name, value) }
        return response
    }

    private static func response(_ status: Int, _ contentType: String, _ body: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": contentType, "Cache-Control": "no-store"], body: Array(body.utf8))
    }
}
