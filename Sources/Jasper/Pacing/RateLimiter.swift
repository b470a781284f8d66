/// Paces the calls of one Control Center account: at most `callsPerSecond` starts in any window
/// of a second (with a small guard for timing jitter) and at most `maxInFlight` calls at once.
///
/// Shared by every task that calls the same account. When the server still answers 40000029 the
/// rate drops by 30 % (at most once a second) and then climbs back, quickly up to 90 % of where it
/// was throttled and slowly beyond, so a limit set too high settles near the server's real one
/// instead of turning into a storm of throttled calls. A `Retry-After` pauses every start.
public actor RateLimiter {
    /// The configured ceiling.
    public let callsPerSecond: Double
    public let maxInFlight: Int
    /// The rate in force now (lower than `callsPerSecond` after throttling).
    public private(set) var currentRate: Double
    /// Calls that came back throttled.
    public private(set) var throttledCalls = 0

    /// The clock the limiter waits on; the client times its retry waits on it too.
    public nonisolated let clock: PacingClock
    /// Starts are spread over a window this much longer than a second.
    private let window: Duration
    private var nextSlot: Duration
    private var recentStarts: [Duration] = []
    private var inFlight = 0
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []
    private var ceiling: Double
    private var lastDecrease: Duration?

    /// - Parameter guardFraction: how much longer than a second the counting window is, so that
    ///   late wake-ups and network jitter never put one call too many into a server's second.
    /// - Parameter clock: what the limiter waits on; tests give one they move by hand.
    public init(
        callsPerSecond: Double, maxInFlight: Int, guardFraction: Double = 0.02,
        clock: some Clock<Duration> = ContinuousClock()
    ) {
        precondition(callsPerSecond > 0 && maxInFlight > 0, "rate and in-flight limit must be positive")
        self.callsPerSecond = callsPerSecond
        self.maxInFlight = maxInFlight
        currentRate = callsPerSecond
        ceiling = callsPerSecond
        window = .seconds(1 + guardFraction)
        self.clock = PacingClock(clock)
        nextSlot = .zero
    }

    /// Waits for a start slot and a free in-flight place; pair every call with `release`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting (no place is held then).
    public func acquire() async throws {
        let slot = reserveSlot()
        try await clock.sleep(until: slot)
        while let earliest = windowOpensAt(), earliest > clock.now {
            try await clock.sleep(until: earliest)
        }
        while inFlight >= maxInFlight {
            await withCheckedContinuation { slotWaiters.append($0) }
        }
        try Task.checkCancellation()
        inFlight += 1
        recordStart()
    }

    /// Gives the in-flight place back and tells the limiter how the call went.
    public func release(throttled: Bool, retryAfter: Duration? = nil) {
        inFlight -= 1
        if !slotWaiters.isEmpty { slotWaiters.removeFirst().resume() }
        throttled ? slowDown(retryAfter: retryAfter) : speedUp()
    }

    private func reserveSlot() -> Duration {
        let slot = max(nextSlot, clock.now)
        nextSlot = slot + window / currentRate
        return slot
    }

    /// When the oldest of the last `limit` starts leaves the window, if the window is full.
    private func windowOpensAt() -> Duration? {
        let limit = max(1, Int(currentRate.rounded(.down)))
        guard recentStarts.count >= limit else { return nil }
        return recentStarts[recentStarts.count - limit] + window
    }

    private func recordStart() {
        recentStarts.append(clock.now)
        let keep = max(1, Int(callsPerSecond.rounded(.up)))
        if recentStarts.count > keep * 2 { recentStarts.removeFirst(recentStarts.count - keep) }
    }

    private func slowDown(retryAfter: Duration?) {
        throttledCalls += 1
        let now = clock.now
        if let retryAfter { nextSlot = max(nextSlot, now + retryAfter) }
        if let lastDecrease, now - lastDecrease < .seconds(1) { return }
        lastDecrease = now
        ceiling = currentRate
        currentRate = max(callsPerSecond * 0.05, currentRate * 0.7)
    }

    private func speedUp() {
        guard currentRate < callsPerSecond else { return }
        let step = currentRate < ceiling * 0.9 ? 0.02 : 0.002
        currentRate = min(callsPerSecond, currentRate + callsPerSecond * step)
    }
}
