/// When the next call of an account may start, and how the rate adapts: the rate limiter's rules
/// as a pure value, without waiting or tasks.
///
/// Times are `Duration`s on the limiter's `PacingClock`. A start is allowed at `earliestStart`
/// and later: a spacing of `window / currentRate` after the previous start, at most
/// `startsPerWindow` starts in any `window`, and not before a `Retry-After` pause ends.
///
/// A throttled call slows the rate by 30 % (at most once a second, never below 5 % of the
/// configured rate); each call that was not throttled climbs it back by 2 % of the configured
/// rate up to 90 % of the rate that was throttled, then by 0.2 %, up to the configured rate.
struct PacingRules: Sendable {
    /// The configured ceiling.
    let callsPerSecond: Double
    /// The counting window: a second and a guard.
    let window: Duration
    /// The rate in force now.
    private(set) var currentRate: Double
    /// Calls that came back throttled.
    private(set) var throttledCalls = 0
    /// No start before this (a `Retry-After`).
    private(set) var pausedUntil: Duration = .zero
    /// The latest starts, oldest first; at least the last `startsPerWindow` of them.
    private var recentStarts: [Duration] = []
    /// The rate that was in force when the server last throttled.
    private var ceiling: Double
    private var lastDecrease: Duration?

    init(callsPerSecond: Double, window: Duration) {
        self.callsPerSecond = callsPerSecond
        self.window = window
        currentRate = callsPerSecond
        ceiling = callsPerSecond
    }

    /// Starts one window may hold at the rate in force (at least one).
    var startsPerWindow: Int { Self.wholeCalls(currentRate) }

    /// The least time between two starts at the rate in force.
    var spacing: Duration { window / currentRate }

    /// The first instant at which a start keeps every rule.
    var earliestStart: Duration {
        var earliest = pausedUntil
        if let last = recentStarts.last { earliest = max(earliest, last + spacing) }
        let limit = startsPerWindow
        if recentStarts.count >= limit { earliest = max(earliest, recentStarts[recentStarts.count - limit] + window) }
        return earliest
    }

    /// Counts a start at `instant` (not before `earliestStart`).
    mutating func recordStart(at instant: Duration) {
        recentStarts.append(instant)
        let keep = Self.wholeCalls(callsPerSecond)
        if recentStarts.count > 2 * keep { recentStarts.removeFirst(recentStarts.count - keep) }
    }

    /// A call came back throttled at `now`; `retryAfter` pauses every start that long from `now`.
    mutating func throttled(at now: Duration, retryAfter: Duration?) {
        throttledCalls += 1
        if let retryAfter { pausedUntil = max(pausedUntil, now + retryAfter) }
        if let lastDecrease, now - lastDecrease < .seconds(1) { return }
        lastDecrease = now
        ceiling = currentRate
        currentRate = max(callsPerSecond / 20, currentRate * 7 / 10)
    }

    /// A call came back without being throttled.
    mutating func succeeded() {
        guard currentRate < callsPerSecond else { return }
        let step = currentRate < ceiling * 9 / 10 ? callsPerSecond / 50 : callsPerSecond / 500
        currentRate = min(callsPerSecond, currentRate + step)
    }

    /// Whole calls in `rate` per window, at least one.
    private static func wholeCalls(_ rate: Double) -> Int { max(1, Int(rate.rounded(.down))) }
}
