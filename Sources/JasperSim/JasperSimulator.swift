import Foundation
import HTTP
import Jasper
import Synchronization

/// A Control Center stand-in that behaves like the real service: Basic auth, per-account rate
/// limits, the documented error codes, effective dates, audit trails, paging, and injected faults.
///
/// `handle(_:)` answers one request and can be called from any thread (the state sits behind a
/// lock); `start(port:)` serves it over HTTP. Time comes from `now`, so tests can move it.
public final class JasperSimulator: Sendable {
    public let configuration: SimulatorConfiguration
    let now: @Sendable () -> Date
    let rateWindow: @Sendable () -> Int64
    let state: Mutex<SimulatorState>

    /// The API root under the server's address.
    public static let apiRoot = "/rws/api/v1"

    /// - Parameters:
    ///   - now: the calendar clock: effective dates, `dateUpdated`, audit entries, 202 edits landing.
    ///   - rateWindow: the whole second of monotonic time a call falls in, for `rateLimit`; by
    ///     default `JasperSimulator.monotonicSecond` (real time). Tests give one they move by hand.
    public init(
        configuration: SimulatorConfiguration = SimulatorConfiguration(), devices: [SimulatedDevice],
        now: @escaping @Sendable () -> Date = { Date() },
        rateWindow: @escaping @Sendable () -> Int64 = JasperSimulator.monotonicSecond
    ) {
        self.configuration = configuration
        self.now = now
        self.rateWindow = rateWindow
        state = Mutex(SimulatorState(devices: devices, configuration: configuration))
    }

    /// Whole seconds of the machine's monotonic clock since the first call to this: rate limits
    /// are about real time, whatever calendar clock the simulator is given.
    @Sendable public static func monotonicSecond() -> Int64 {
        (ContinuousClock.now - epoch).components.seconds
    }

    private static let epoch = ContinuousClock.now

    /// Serves the simulator over HTTP on `host:port` (0 = a port the OS picks).
    public func start(host: String = "127.0.0.1", port: Int = 0) throws(HTTPServerError) -> RunningSimulator {
        let pauses = SimulatorPauses()
        let server = try HTTPServer.start(host: host, port: port) { [self] request in handle(request, pauses: pauses) }
        return RunningSimulator(simulator: self, server: server, pauses: pauses)
    }

    /// Answers one request.
    public func handle(_ request: HTTPRequest) -> HTTPServerReply {
        handle(request, pauses: .uninterrupted)
    }

    /// Answers one request; its waits end early when `pauses` is stopped.
    func handle(_ request: HTTPRequest, pauses: SimulatorPauses) -> HTTPServerReply {
        state.withLock { state in
            state.counters.concurrentCalls += 1
            state.counters.maxConcurrentCalls = max(state.counters.maxConcurrentCalls, state.counters.concurrentCalls)
        }
        defer { state.withLock { $0.counters.concurrentCalls -= 1 } }
        if request.path.hasPrefix("/_sim/") { return .respond(handleAdmin(request)) }
        let endpoint = Self.endpointName(request)
        let (reply, lateAnswer) = handleAPI(request, pauses: pauses)
        // Counted when the answer is known, so a late answer's call shows while it is held back.
        state.withLock { state in
            switch reply {
            case .respond(let response): state.counters.record(endpoint, outcome: String(response.status))
            case .dropConnection: state.counters.record(endpoint, outcome: "dropped")
            }
        }
        if lateAnswer > .zero { pauses.pause(lateAnswer) }
        return reply
    }

    /// The reply to an API call, and how long to hold it back (a late answer) once it is known.
    private func handleAPI(_ request: HTTPRequest, pauses: SimulatorPauses) -> (HTTPServerReply, Duration) {
        guard request.path.hasPrefix(Self.apiRoot + "/") else {
            let wrongRoot = SimulatorResponse.error(404, JasperErrorCode.invalidAPIVersion, "Invalid apiVersion")
            return (.respond(wrongRoot), .zero)
        }
        guard let user = authenticate(request) else {
            let refused = SimulatorResponse.error(
                401, JasperErrorCode.invalidCredentials, "Invalid credentials or IP not allowed")
            return (.respond(refused), .zero)
        }
        let decision = state.withLock { state -> Admission in
            if state.faults.throttleNextCalls > 0 {
                state.faults.throttleNextCalls -= 1
                state.counters.throttledCalls += 1
                return .throttled
            }
            guard state.admit(account: user.accountId, limit: configuration.rateLimit, second: rateWindow()) else {
                state.counters.throttledCalls += 1
                return .throttled
            }
            let deviceFault = Self.deviceFault(for: request, in: state.faults)
            if deviceFault?.kind == .refuse { return .refused }
            if deviceFault?.kind == .serverError { return .serverError }
            if state.faults.failNextCalls > 0 {
                state.faults.failNextCalls -= 1
                return .serverError
            }
            if state.generator.chance(state.faults.dropRate) { return .drop }
            if state.generator.chance(state.faults.serverErrorRate) { return .serverError }
            var delay = configuration.latency
            if configuration.jitter > .zero {
                delay += configuration.jitter * Double.random(in: 0..<1, using: &state.generator)
            }
            if state.generator.chance(state.faults.slowRate) { delay += .milliseconds(state.faults.slowDelayMs) }
            if deviceFault?.kind == .slow { delay += .milliseconds(deviceFault?.delayMs ?? 0) }
            guard let iccid = Self.editedICCID(request) else {
                let late = deviceFault?.kind == .lateAnswer ? Duration.milliseconds(deviceFault?.delayMs ?? 0) : .zero
                return .proceed(delay: delay, edit: .none, lateAnswer: late)
            }
            state.editOrdinals[iccid, default: 0] += 1
            let edit = EditFaults.decide(
                iccid: iccid, ordinal: state.editOrdinals[iccid, default: 0], faults: state.faults,
                deviceFault: deviceFault, seed: configuration.seed)
            return .proceed(delay: delay, edit: edit, lateAnswer: edit.lateAnswer ?? .zero)
        }
        switch decision {
        case .throttled:
            let throttled = SimulatorResponse.error(
                configuration.throttleStatus, JasperErrorCode.rateLimitExceeded, "Rate limit exceeded")
            return (.respond(throttled), .zero)
        case .drop:
            return (.dropConnection, .zero)
        case .serverError:
            return (.respond(SimulatorResponse.error(500, JasperErrorCode.serverError, "Unknown server error")), .zero)
        case .refused:
            return (.respond(SimulatorResponse.invalidRequest("The device cannot be changed at this time")), .zero)
        case .proceed(let delay, let edit, let lateAnswer):
            // A server stopping during the wait handles nothing more: the call is left unanswered.
            if delay > .zero, !pauses.pause(delay) { return (.dropConnection, .zero) }
            return (.respond(route(request, user: user, edit: edit)), lateAnswer)
        }
    }

    private enum Admission {
        case throttled, drop, serverError, refused
        /// Handle the call after `delay`, with `edit`'s faults, and answer `lateAnswer` after that.
        case proceed(delay: Duration, edit: EditFaults, lateAnswer: Duration)
    }

    /// The ICCID of `PUT /devices/{iccid}`; `nil` for every other call.
    static func editedICCID(_ request: HTTPRequest) -> String? {
        guard request.method == "PUT" else { return nil }
        let parts = request.path.dropFirst(apiRoot.count).split(separator: "/")
        guard parts.count == 2, parts[0] == "devices" else { return nil }
        return PercentEncoding.decode(String(parts[1]))
    }

    /// The injected fault of the device a call is about, when it applies to this call.
    static func deviceFault(for request: HTTPRequest, in faults: SimulatorFaults) -> DeviceFault? {
        guard !faults.deviceFaults.isEmpty else { return nil }
        let parts = request.path.dropFirst(apiRoot.count).split(separator: "/")
        guard parts.count >= 2, parts[0] == "devices",
            let fault = faults.deviceFaults[PercentEncoding.decode(String(parts[1]))]
        else { return nil }
        return fault.editsOnly && request.method != "PUT" ? nil : fault
    }

    /// The user named by the request's Basic credentials, when they match.
    private func authenticate(_ request: HTTPRequest) -> SimulatorUser? {
        guard let header = request.headers["Authorization"], header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        let username = String(text[..<colon])
        let apiKey = String(text[text.index(after: colon)...])
        return configuration.users.first { $0.username == username && $0.apiKey == apiKey }
    }

    /// `GET /devices/{iccid}`: the call with its ICCID replaced, for counters.
    static func endpointName(_ request: HTTPRequest) -> String {
        var parts = request.path.dropFirst(apiRoot.count).split(separator: "/", omittingEmptySubsequences: false)
        if parts.count >= 3, parts[1] == "devices" { parts[2] = "{iccid}" }
        if parts.count >= 3, parts[1] == "echo" { parts[2] = "{text}" }
        return request.method + " " + parts.joined(separator: "/")
    }
}

/// A simulator served over HTTP.
public final class RunningSimulator: Sendable {
    public let simulator: JasperSimulator
    public let server: HTTPServer
    let pauses: SimulatorPauses

    init(simulator: JasperSimulator, server: HTTPServer, pauses: SimulatorPauses) {
        self.simulator = simulator
        self.server = server
        self.pauses = pauses
    }

    /// The API root to give a client, such as `http://127.0.0.1:50123/rws/api/v1`.
    public var baseURL: String { server.baseURL + JasperSimulator.apiRoot }

    /// Stops serving; answers held back by a delay are cut short (and go nowhere).
    public func shutdown() {
        pauses.stop()
        server.shutdown()
    }
}
