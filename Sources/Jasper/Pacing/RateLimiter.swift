/// Paces the calls of one Control Center account: at most `callsPerSecond` starts in any window
/// of a second (with a small guard for timing jitter), spread evenly, and at most `maxInFlight`
/// calls at once.
///
/// Shared by every task that calls the same account. Waiting calls start first come, first
/// served, each at the first instant at which both hold: an in-flight place is free and the
/// `PacingRules` allow a start. When the server still answers 40000029 the rate drops by 30 %
/// (at most once a second) and then climbs back, quickly up to 90 % of where it was throttled and
/// slowly beyond, so a limit set too high settles near the server's real one instead of turning
/// into a storm of throttled calls. A `Retry-After` pauses every start, waiting ones included.
///
/// Only the first waiting call is ever let in. It is woken when a release or a timer (on the
/// limiter's clock, for when its start is due) may let it in, and checks for itself; a cancelled
/// waiter leaves the queue and wakes the one behind it.
public actor RateLimiter {
    /// The configured ceiling.
    public let callsPerSecond: Double
    public let maxInFlight: Int
    /// The clock the limiter waits on; the client times its retry waits on it too.
    public nonisolated let clock: PacingClock
    /// Calls started and not yet released.
    private(set) var inFlight = 0
    private var rules: PacingRules
    /// Waiting calls by number, first come first; only the first may start.
    private var queue: [Int] = []
    private var nextWaiter = 0
    /// Waiting calls suspended until something changes for them.
    private var parked: [Int: CheckedContinuation<Void, Never>] = [:]
    /// The one timer: it wakes the first waiting call at `deadline`, when its start is due.
    private var timer: (deadline: Duration, generation: Int, task: Task<Void, Never>)?
    private var timerGeneration = 0
    /// Tasks waiting for a number of parked calls (see `untilWaiting(_:)`).
    private var waitingWatchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// - Parameter guardFraction: how much longer than a second the counting window is, so that
    ///   late wake-ups and network jitter never put one call too many into a server's second.
    /// - Parameter clock: what the limiter waits on; tests give one they move by hand.
    public init(
        callsPerSecond: Double, maxInFlight: Int, guardFraction: Double = 0.02,
        clock: some Clock<Duration> = ContinuousClock()
    ) {
        precondition(callsPerSecond > 0 && maxInFlight > 0, "rate and in-flight limit must be positive")
        precondition(guardFraction >= 0, "the guard cannot shorten the window")
        self.callsPerSecond = callsPerSecond
        self.maxInFlight = maxInFlight
        self.clock = PacingClock(clock)
        let window = Duration.seconds(1) + .nanoseconds(Int64((guardFraction * 1e9).rounded()))
        rules = PacingRules(callsPerSecond: callsPerSecond, window: window)
    }

    /// The rate in force now (lower than `callsPerSecond` after throttling).
    public var currentRate: Double { rules.currentRate }

    /// Calls that came back throttled.
    public var throttledCalls: Int { rules.throttledCalls }

    /// Waits until the call may start and takes an in-flight place; pair every call with `release`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled before the call starts; no place
    ///   is held then, and the next waiting call gets the turn.
    public func acquire() async throws(CancellationError) {
        if Task.isCancelled { throw CancellationError() }
        let waiter = nextWaiter
        nextWaiter += 1
        queue.append(waiter)
        while true {
            if Task.isCancelled {
                queue.removeAll { $0 == waiter }
                schedule()
                throw CancellationError()
            }
            if queue.first == waiter, inFlight < maxInFlight {
                let now = clock.now
                let earliest = rules.earliestStart
                if earliest <= now {
                    queue.removeFirst()
                    inFlight += 1
                    rules.recordStart(at: now)
                    schedule()
                    return
                }
                // Not `schedule()`: it reads the clock again, and were the start due by then, it
                // would wake this call, which is running, not parked, and the wake-up would be lost.
                setTimer(until: earliest)
            }
            await park(waiter)
        }
    }

    /// Gives the in-flight place back and tells the limiter how the call went.
    public func release(throttled: Bool, retryAfter: Duration? = nil) {
        precondition(inFlight > 0, "release without a matching acquire")
        inFlight -= 1
        if throttled {
            rules.throttled(at: clock.now, retryAfter: retryAfter)
        } else {
            rules.succeeded(at: clock.now)
        }
        schedule()
    }

    /// Suspends until at least `count` calls are parked waiting for their start, so a test knows
    /// they have queued (in the order it started them) without sleeping or polling.
    func untilWaiting(_ count: Int) async {
        guard parked.count < count else { return }
        await withCheckedContinuation { waitingWatchers.append((count, $0)) }
    }

    /// After a change by someone else than the first waiting call: wakes that call if it may
    /// start now, or sets the timer for when it may.
    private func schedule() {
        guard let first = queue.first, inFlight < maxInFlight else { return stopTimer() }
        let earliest = rules.earliestStart
        if earliest <= clock.now {
            stopTimer()
            wake(first)
        } else {
            setTimer(until: earliest)
        }
    }

    private func park(_ waiter: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                parked[waiter] = continuation
                let reached = waitingWatchers.filter { $0.count <= parked.count }
                waitingWatchers.removeAll { $0.count <= parked.count }
                for watcher in reached { watcher.continuation.resume() }
            }
        } onCancel: {
            Task { await self.wake(waiter) }
        }
    }

    private func wake(_ waiter: Int) {
        parked.removeValue(forKey: waiter)?.resume()
    }

    private func setTimer(until deadline: Duration) {
        guard timer?.deadline != deadline else { return }
        timer?.task.cancel()
        timerGeneration += 1
        let generation = timerGeneration
        let clock = self.clock
        let task = Task {
            do {
                try await clock.sleep(until: deadline)
            } catch {
                return  // a clock's sleep ends early only when cancelled: the timer was replaced or stopped
            }
            self.timerFired(generation)
        }
        timer = (deadline, generation, task)
    }

    private func timerFired(_ generation: Int) {
        guard timer?.generation == generation else { return }
        timer = nil
        schedule()
    }

    private func stopTimer() {
        timer?.task.cancel()
        timer = nil
    }
}
