import Glibc
import Synchronization

/// What a handler answers: a response, or closing the connection without one (fault injection).
public enum HTTPServerReply: Sendable {
    case respond(HTTPResponse)
    case dropConnection
}

/// A small HTTP/1.1 server on blocking sockets, for the Jasper simulator, tests and benchmarks.
///
/// One thread accepts connections and each connection gets a thread of its own, which reads requests, calls the
/// handler and writes the responses; the handler may block (to inject latency) without holding up other
/// connections, and it never runs on Swift's cooperative pool. Connections are kept alive as HTTP/1.1 wants,
/// pipelined requests are answered in order, request bodies are read by `Content-Length`, and every response
/// carries `Content-Length`. The server stops when `shutdown()` is called or the last reference to it goes away.
public final class HTTPServer: Sendable {
    /// Answers one request; called on the connection's own thread, one request at a time per connection.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPServerReply

    /// The port the server listens on.
    public let port: Int
    private let host: String
    private let registry: Registry
    private let lifecycle: Mutex<Lifecycle>

    private enum Lifecycle {
        case running(listener: Socket, acceptor: DedicatedThread)
        case stopped
    }

    private init(host: String, port: Int, registry: Registry, listener: Socket, acceptor: DedicatedThread) {
        self.host = host
        self.port = port
        self.registry = registry
        self.lifecycle = Mutex(.running(listener: listener, acceptor: acceptor))
    }

    deinit {
        shutdown()
    }

    /// Binds and starts serving; port 0 lets the OS choose.
    ///
    /// - Parameters:
    ///   - host: an IP address or a host name to listen on; the default takes connections from this machine only.
    ///   - idleTimeout: a connection that sends nothing for this long is closed (nil: kept while the client
    ///     keeps it), so idle or stalled clients cannot hold connection threads for ever.
    /// - Throws: `HTTPServerError` when the address cannot be resolved, bound or listened on.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, idleTimeout: Duration? = nil, handler: @escaping Handler
    ) throws(HTTPServerError) -> HTTPServer {
        let (listener, boundPort) = try Socket.listen(host: host, port: port, backlog: Limits.listenBacklog)
        let registry = Registry()
        let acceptor = DedicatedThread(stackSize: Limits.threadStackSize) {
            acceptConnections(on: listener, registry: registry, idleTimeout: idleTimeout, handler: handler)
        }
        return HTTPServer(host: host, port: boundPort, registry: registry, listener: listener, acceptor: acceptor)
    }

    /// The URL of the server's root without the trailing slash, such as `http://127.0.0.1:8080`.
    public var baseURL: String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The number of connections open right now.
    public var openConnections: Int { registry.openCount }

    /// The most connections that were open at once.
    public var peakConnections: Int { registry.peakCount }

    /// Stops accepting, closes every connection (in-flight handlers finish first or their connection is closed),
    /// joins threads. Idempotent.
    ///
    /// A connection waiting for a request is closed at once; a handler that is running finishes, and its response
    /// is dropped if the connection was already shut down. When this returns, every socket is closed and every
    /// thread has ended. A second call, also one made while the first is running, waits for the first.
    ///
    /// - Note: Do not call this from a handler: it waits for every connection thread, the handler's own included.
    public func shutdown() {
        lifecycle.withLock { lifecycle in
            guard case .running(let listener, let acceptor) = lifecycle else { return }
            registry.stop()
            listener.shutdownBoth()  // wakes the acceptor from accept(2)
            acceptor.join()
            registry.joinAll()
            lifecycle = .stopped  // the listening socket closes here, with its last reference
        }
    }

    /// The acceptor thread: takes connections until the server stops, starting a thread for each.
    private static func acceptConnections(
        on listener: Socket, registry: Registry, idleTimeout: Duration?, handler: @escaping Handler
    ) {
        while true {
            registry.joinFinished()
            switch listener.accept() {
            case .connection(let socket):
                socket.setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
                if let idleTimeout { socket.setReceiveTimeout(idleTimeout) }
                guard let id = registry.register(socket) else { return }  // stopping: the socket closes here
                let thread = DedicatedThread(stackSize: Limits.threadStackSize) {
                    Connection(socket: socket, handler: handler).run()
                    registry.finish(id)
                }
                registry.attach(thread, to: id)
            case .failed(let code):
                if registry.isStopping { return }
                switch code {
                case ECONNABORTED, EPROTO, EPERM:
                    continue  // that connection is gone; the next may be fine
                default:
                    // Out of descriptors or memory, most likely: give connections time to close.
                    usleep(Limits.acceptRetryDelayMicroseconds)
                }
            }
        }
    }
}

extension HTTPServer {
    /// The server's sizes, widths and waits, in one place.
    enum Limits {
        /// The most bytes the request line and headers may take (431 beyond).
        static let maxHeadBytes = 64 * 1024
        /// The largest request body (413 beyond).
        static let maxBodyBytes = 16 * 1024 * 1024
        /// Connections the kernel may queue before they are accepted (it caps this at `net.core.somaxconn`).
        static let listenBacklog: Int32 = 1024
        /// Stack of the acceptor and of each connection thread, where handlers run; address space, mostly untouched.
        static let threadStackSize = 512 * 1024
        /// How much one receive call may read.
        static let receiveBufferSize = 16 * 1024
        /// Bodies up to this size are copied behind the head and sent in one call; larger ones are sent on their own.
        static let coalescedBodyBytes = 16 * 1024
        /// How long a closing connection keeps reading what the client still sends, so it reads the response
        /// rather than a reset.
        static let lingerTime = Duration.seconds(2)
        /// Pause before accepting again after a failure such as running out of descriptors.
        static let acceptRetryDelayMicroseconds: UInt32 = 10_000
    }
}
