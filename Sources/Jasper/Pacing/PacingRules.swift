/// When the next call of an account may start, and how the rate adapts: the rate limiter's rules
/// as a pure value, without waiting or tasks.
///
/// Times are `Duration`s on the limiter's `PacingClock`. A start is allowed at `earliestStart`
/// and later: a spacing of `window / currentRate` after the previous start, at most
/// `startsPerWindow` starts in any `window`, and not before a `Retry-After` pause ends.
///
/// A throttled call brings the rate down to what the server let through in the last window (98 %
/// of it), at most once a second and by at least 2 %, never below 5 % of the configured rate: a
/// limit set too high settles at the server's real one within a second or two, not in a storm
/// of throttled calls. Each call that was not throttled then probes upwards by 0.01 calls a
/// second (about 1 % a second at the rate in force), up to the configured rate.
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
    /// When the latest start was due (see `recordStart`).
    private var lastSlot: Duration?
    /// When the latest calls that were not throttled came back, oldest first.
    private var recentSuccesses: [Duration] = []
    private var lastDecrease: Duration?

    init(callsPerSecond: Double, window: Duration) {
        self.callsPerSecond = callsPerSecond
        self.window = window
        currentRate = callsPerSecond
    }

    /// Starts one window may hold at the rate in force (at least one).
    var startsPerWindow: Int { Self.wholeCalls(currentRate) }

    /// The least time between two starts at the rate in force.
    var spacing: Duration { window / currentRate }

    /// The first instant at which a start keeps every rule.
    var earliestStart: Duration {
        var earliest = pausedUntil
        if let lastSlot { earliest = max(earliest, lastSlot + spacing) }
        let limit = startsPerWindow
        if recentStarts.count >= limit { earliest = max(earliest, recentStarts[recentStarts.count - limit] + window) }
        return earliest
    }

    /// Counts a start at `instant` (not before `earliestStart`).
    ///
    /// The next start is spaced from when this one was due, not from when it came: a start that
    /// woke a little late does not push every later one back (the window rule still bounds any
    /// catching up). After a pause longer than the spacing, spacing counts from the start itself.
    mutating func recordStart(at instant: Duration) {
        let due = earliestStart
        lastSlot = instant - due < spacing ? due : instant
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
        let letThrough = Double(recentSuccesses.count { $0 > now - window })
        let measured = letThrough > 0 ? letThrough * 98 / 100 : currentRate * 7 / 10
        currentRate = max(callsPerSecond / 20, min(measured, currentRate * 98 / 100))
    }

    /// A call came back at `now` without being throttled.
    mutating func succeeded(at now: Duration) {
        recentSuccesses.append(now)
        if recentSuccesses.first.map({ $0 <= now - window }) == true {
            recentSuccesses.removeAll { $0 <= now - window }
        }
        guard currentRate < callsPerSecond else { return }
        currentRate = min(callsPerSecond, currentRate + Self.probeStep)
    }

    /// How much each call that was not throttled raises the rate (calls per second).
    static let probeStep = 0.01

    /// Whole calls in `rate` per window, at least one.
    private static func wholeCalls(_ rate: Double) -> Int { max(1, Int(rate.rounded(.down))) }
}
