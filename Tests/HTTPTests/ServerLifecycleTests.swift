import Dispatch
import Glibc
import HTTP
import Synchronization
import Testing

/// A flag one thread sets and another reads.
final class Flag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

@Suite("HTTPServer lifecycle")
struct ServerLifecycleTests {
    static let concurrentClients = 300

    @Test func serves300ConcurrentConnections() async throws {
        let server = try HTTPServer.start(handler: echo)
        defer { server.shutdown() }
        let (clients, failures) = try await blocking {
            let clients = Mutex<[RawClient]>([])
            let failures = Mutex<[String]>([])
            let threads = (0..<Self.concurrentClients).map { index in
                DedicatedThread(stackSize: 256 * 1024) {
                    do {
                        let client = try RawClient(port: server.port)
                        try client.send("GET /client/\(index) HTTP/1.1\r\n\r\n")
                        let text = try client.response().text
                        if text != "GET /client/\(index) [] " { failures.withLock { $0.append("\(index): \(text)") } }
                        // Keep the connection open, so all of them are open at once.
                        clients.withLock { $0.append(client) }
                    } catch {
                        failures.withLock { $0.append("\(index): \(error)") }
                    }
                }
            }
            for thread in threads { thread.join() }
            return (clients.withLock { $0 }, failures.withLock { $0 })
        }
        #expect(failures == [])
        #expect(clients.count == Self.concurrentClients)
        #expect(server.openConnections == Self.concurrentClients)
        #expect(server.peakConnections == Self.concurrentClients)
        server.shutdown()
        #expect(server.openConnections == 0)
        #expect(server.peakConnections == Self.concurrentClients)
    }

    @Test func shutdownWithClientsConnectedIsPromptAndFinal() async throws {
        let server = try HTTPServer.start(handler: echo)
        let port = server.port
        let (took, open, rests, refused) = try await blocking {
            let idle = try RawClient(port: port)
            try idle.send("GET / HTTP/1.1\r\n\r\n")
            _ = try idle.response()
            let halfway = try RawClient(port: port)
            try halfway.send("GET / HTTP/1.1\r\n")
            // Connected and silent: accepted or still queued, either way it must end.
            let silent = try RawClient(port: port)

            let took = ContinuousClock().measure { server.shutdown() }
            let open = server.openConnections
            let rests = try [idle, halfway, silent].map { try $0.readToEnd() }
            let refused = RawClient.connectionRefused(port: port)
            server.shutdown()  // again is fine
            return (took, open, rests, refused)
        }
        #expect(took < .seconds(1))
        #expect(open == 0)
        #expect(rests == [[], [], []])
        #expect(refused)
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeoutAndAnAnsweredOneToo() async throws {
        let server = try HTTPServer.start(idleTimeout: .milliseconds(200), handler: echo)
        defer { server.shutdown() }
        let (silentTook, answered, answeredEnd) = try await blocking {
            let silent = try RawClient(port: server.port)
            let silentTook = try ContinuousClock().measure { _ = try silent.readToEnd() }
            let kept = try RawClient(port: server.port)
            try kept.send("GET /once HTTP/1.1\r\n\r\n")
            let answered = try kept.response().text
            return (silentTook, answered, try kept.readToEnd())
        }
        #expect(silentTook >= .milliseconds(150), "not closed before the timeout: \(silentTook)")
        #expect(answered == "GET /once [] ")
        #expect(answeredEnd.isEmpty, "a kept-alive connection is closed once idle, after its answer")
    }

    @Test func shutdownLetsARunningHandlerFinish() async throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let handlerFinished = Flag()
        let server = try HTTPServer.start { _ in
            entered.signal()
            release.wait()
            handlerFinished.set()
            return .respond(HTTPResponse(status: 200))
        }
        let (response, returnedEarly, finished, open) = try await blocking {
            let client = try RawClient(port: server.port)
            try client.send("GET /slow HTTP/1.1\r\n\r\n")
            entered.wait()
            let shutdownReturned = Flag()
            let stopper = DedicatedThread {
                server.shutdown()
                shutdownReturned.set()
            }
            // The connection closes at once, without a response: the handler has not answered yet.
            let response = try client.readResponse()
            let returnedEarly = shutdownReturned.isSet
            release.signal()
            stopper.join()
            return (response?.status, returnedEarly, handlerFinished.isSet, server.openConnections)
        }
        #expect(response == nil)
        #expect(!returnedEarly)
        #expect(finished)
        #expect(open == 0)
    }

    @Test func clientThatVanishesDoesNotHurtTheServer() async throws {
        let clientGone = DispatchSemaphore(value: 0)
        let server = try HTTPServer.start { request in
            if request.path == "/big" { clientGone.wait() }
            return .respond(HTTPResponse(status: 200, body: [UInt8](repeating: 0x78, count: 1024 * 1024)))
        }
        let length = try await blocking {
            let vanishing = try RawClient(port: server.port)
            try vanishing.send("GET /big HTTP/1.1\r\n\r\n")
            vanishing.reset()
            clientGone.signal()
            let next = try RawClient(port: server.port)
            try next.send("GET /small HTTP/1.1\r\n\r\n")
            let length = try next.response().body.count
            // Joins the first connection's thread, so its failed send (EPIPE, no SIGPIPE) has happened.
            server.shutdown()
            return length
        }
        #expect(length == 1024 * 1024)
    }

    @Test func concurrentShutdownCallsAllReturnAfterTheServerStopped() async throws {
        let server = try HTTPServer.start(handler: echo)
        let port = server.port
        let observations = try await blocking {
            let client = try RawClient(port: port)
            try client.send("GET / HTTP/1.1\r\n\r\n")
            _ = try client.response()
            let observations = Mutex<[String]>([])
            let stoppers = (0..<4).map { _ in
                DedicatedThread {
                    server.shutdown()
                    let seen = "open \(server.openConnections), refused \(RawClient.connectionRefused(port: port))"
                    observations.withLock { $0.append(seen) }
                }
            }
            for stopper in stoppers { stopper.join() }
            return observations.withLock { $0 }
        }
        #expect(observations == Array(repeating: "open 0, refused true", count: 4))
    }

    @Test func portInUseIsReportedWithTheSystemReason() throws {
        let server = try HTTPServer.start(handler: echo)
        defer { server.shutdown() }
        #expect {
            try HTTPServer.start(port: server.port, handler: echo)
        } throws: { error in
            (error as? HTTPServerError)?.description
                == "cannot listen on 127.0.0.1:\(server.port): \(String(cString: strerror(EADDRINUSE)))"
        }
    }

    @Test func badAddressesAreReported() {
        #expect(throws: HTTPServerError.invalidPort(70_000)) { try HTTPServer.start(port: 70_000, handler: echo) }
        #expect {
            try HTTPServer.start(host: "no such host.invalid", handler: echo)
        } throws: { error in
            guard case .cannotResolve(let host, _) = error as? HTTPServerError else { return false }
            return host == "no such host.invalid"
        }
    }

    @Test func listensOnIPv6LoopbackOrSaysWhyNot() async throws {
        if let reason = Self.whyIPv6LoopbackCannotBeBound() {
            // No IPv6 here: the start fails with the system's own reason, not some other error.
            #expect(throws: HTTPServerError.cannotListen(host: "::1", port: 0, reason: reason)) {
                try HTTPServer.start(host: "::1", handler: echo)
            }
            return
        }
        let server = try HTTPServer.start(host: "::1", handler: echo)
        defer { server.shutdown() }
        #expect(server.baseURL == "http://[::1]:\(server.port)")
        #expect(server.port > 0)
        let client = HTTPClient()
        defer { client.shutdown() }
        let response = try await client.send(HTTPRequest(method: "GET", target: server.baseURL + "/v6"))
        #expect(response.text == "GET /v6 [] ")
    }

    /// `nil` when a TCP socket can be bound to ::1 on this machine, else the system's reason.
    static func whyIPv6LoopbackCannotBeBound() -> String? {
        let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { close(descriptor) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        guard inet_pton(AF_INET6, "::1", &address.sin6_addr) == 1 else { return "inet_pton refused ::1" }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
        return status == 0 ? nil : String(cString: strerror(errno))
    }
}
