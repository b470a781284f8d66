import Testing

@testable import Jasper

/// The limiter on a `TestClock`: every start is checked at its exact instant, neither earlier nor
/// later, because time moves only from one deadline the limiter asked for to the next.
@Suite("Rate limiter", .timeLimit(.minutes(1)))
struct RateLimiterTests {
    /// Spacing at 5 calls per second with the default 2 % guard: 1.02 s / 5.
    static let fifth = Duration.milliseconds(204)

    @Test(arguments: [
        // 5 per second: evenly spaced.
        (5.0, (0..<12).map { Duration.milliseconds(204) * $0 }),
        // 2.5 per second: spaced by 408 ms, but only 2 whole calls fit in a window of 1.02 s.
        (2.5, (0..<6).flatMap { [Duration.milliseconds(1020) * $0, .milliseconds(1020) * $0 + .milliseconds(408)] }),
    ])
    func startsFollowTheRateExactly(rate: Double, expected: [Duration]) async throws {
        let clock = TestClock()
        let limiter = RateLimiter(callsPerSecond: rate, maxInFlight: 1, clock: clock)
        // Time moves only while this task waits in `acquire`, and it reads the time before it waits again.
        let driver = Task { await clock.keepAdvancing() }
        defer { driver.cancel() }
        var starts: [Duration] = []
        for _ in expected.indices {
            try await limiter.acquire()
            starts.append(clock.elapsed)
            await limiter.release(throttled: false)
        }
        #expect(starts == expected)
    }

    @Test func aStartFallingDueWhileTheLimiterDecidesIsNotLost() async throws {
        // 1.02 ms between starts and a clock 1 ms further on at each reading: a call that finds
        // its start not due yet may find it due at the next reading, before it parks.
        let clock = TestClock(tick: .milliseconds(1))
        let limiter = RateLimiter(callsPerSecond: 1000, maxInFlight: 1, clock: clock)
        let driver = Task { await clock.keepAdvancing() }
        defer { driver.cancel() }
        for _ in 0..<12 {
            try await limiter.acquire()
            await limiter.release(throttled: false)
        }
    }

    @Test func simultaneousReleasesDoNotStartABurst() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(callsPerSecond: 5, maxInFlight: 2, clock: clock)
        #expect(try await Self.start(limiter, clock).value == .zero)
        let second = Self.start(limiter, clock)
        #expect(await clock.advanceToNextDeadline() == Self.fifth)
        #expect(try await second.value == Self.fifth)
        let waiting = await Self.queue(4, on: limiter, clock)

        // Both places are held for seconds: nobody starts, however much room the window has.
        clock.advance(to: .seconds(5))
        #expect(await limiter.inFlight == 2)
        #expect(clock.deadlines.isEmpty)

        // Both places come back at once: one call starts now, the next a spacing later.
        await limiter.release(throttled: false)
        await limiter.release(throttled: false)
        #expect(try await waiting[0].value == .seconds(5))
        #expect(await clock.advanceToNextDeadline() == .seconds(5) + Self.fifth)
        #expect(try await waiting[1].value == .seconds(5) + Self.fifth)

        // And again, with both places taken by calls that started 204 ms apart.
        await limiter.release(throttled: false)
        await limiter.release(throttled: false)
        #expect(await clock.advanceToNextDeadline() == .seconds(5) + Self.fifth * 2)
        #expect(try await waiting[2].value == .seconds(5) + Self.fifth * 2)
        #expect(await clock.advanceToNextDeadline() == .seconds(5) + Self.fifth * 3)
        #expect(try await waiting[3].value == .seconds(5) + Self.fifth * 3)
        #expect(await limiter.inFlight == 2)
    }

    @Test func retryAfterDelaysEveryStartIncludingWaitingOnes() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(callsPerSecond: 5, maxInFlight: 4, clock: clock)
        #expect(try await Self.start(limiter, clock).value == .zero)
        let waiting = await Self.queue(2, on: limiter, clock)
        #expect(await clock.nextDeadline() == Self.fifth)

        await limiter.release(throttled: true, retryAfter: .seconds(3))
        let slower = Duration.milliseconds(1020) / 3.5  // the spacing after the 30 % slow-down
        #expect(await clock.advanceToNextDeadline() == .seconds(3))
        #expect(try await waiting[0].value == .seconds(3))
        #expect(await clock.advanceToNextDeadline() == .seconds(3) + slower)
        #expect(try await waiting[1].value == .seconds(3) + slower)

        // A call that comes during a pause waits for its end too.
        await limiter.release(throttled: true, retryAfter: .seconds(2))
        let late = Self.start(limiter, clock)
        #expect(await clock.advanceToNextDeadline() == .seconds(5) + slower)
        #expect(try await late.value == .seconds(5) + slower)
    }

    @Test func slowingDownAppliesToCallsAlreadyWaiting() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(callsPerSecond: 5, maxInFlight: 4, clock: clock)
        #expect(try await Self.start(limiter, clock).value == .zero)
        let waiting = await Self.queue(1, on: limiter, clock)
        #expect(await clock.nextDeadline() == Self.fifth)

        await limiter.release(throttled: true)
        #expect(await limiter.currentRate == 3.5)
        let slower = Duration.milliseconds(1020) / 3.5
        #expect(await clock.advanceToNextDeadline() == slower)
        #expect(try await waiting[0].value == slower)
    }

    @Test func cancelledWhileWaitingForTheWindowHoldsNoPlaceAndPassesItsTurnOn() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(callsPerSecond: 5, maxInFlight: 2, clock: clock)
        #expect(try await Self.start(limiter, clock).value == .zero)
        let waiting = await Self.queue(2, on: limiter, clock)
        #expect(await clock.nextDeadline() == Self.fifth)

        waiting[0].cancel()
        await #expect(throws: CancellationError.self) { try await waiting[0].value }
        #expect(await limiter.inFlight == 1)
        // The turn at 204 ms goes to the call behind, not to waste.
        #expect(await clock.advanceToNextDeadline() == Self.fifth)
        #expect(try await waiting[1].value == Self.fifth)
        #expect(await limiter.inFlight == 2)
    }

    @Test func cancelledWhileWaitingForAPlaceHoldsNoPlaceAndTheNextStillGetsIt() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(callsPerSecond: 5, maxInFlight: 1, clock: clock)
        #expect(try await Self.start(limiter, clock).value == .zero)
        let waiting = await Self.queue(2, on: limiter, clock)
        clock.advance(to: .seconds(1))  // past any turn: now both wait only for the place

        waiting[0].cancel()
        await #expect(throws: CancellationError.self) { try await waiting[0].value }
        #expect(await limiter.inFlight == 1)
        await limiter.release(throttled: false)
        #expect(try await waiting[1].value == .seconds(1))
        #expect(await limiter.inFlight == 1)
    }

    @Test func cancelledAsThePlaceFreesUpPassesThePlaceOn() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(callsPerSecond: 5, maxInFlight: 1, clock: clock)
        #expect(try await Self.start(limiter, clock).value == .zero)
        let waiting = await Self.queue(2, on: limiter, clock)

        // Whether the release's wake-up reaches the cancelled call first or not, it passes it on.
        clock.advance(to: .seconds(1))
        waiting[0].cancel()
        await limiter.release(throttled: false)
        await #expect(throws: CancellationError.self) { try await waiting[0].value }
        #expect(try await waiting[1].value == .seconds(1))
        #expect(await limiter.inFlight == 1)
    }

    @Test func cancelledBeforeAskingTakesNoTurn() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(callsPerSecond: 5, maxInFlight: 2, clock: clock)
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await limiter.acquire()
        }
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        let driver = Task { await clock.keepAdvancing() }  // a wasted turn would show as a later start
        defer { driver.cancel() }
        #expect(try await Self.start(limiter, clock).value == .zero)
        #expect(await limiter.inFlight == 1)
    }

    /// A call of its own that returns the instant it started.
    private static func start(_ limiter: RateLimiter, _ clock: TestClock) -> Task<Duration, any Error> {
        Task {
            try await limiter.acquire()
            return clock.elapsed
        }
    }

    /// `count` calls, queued in order (none may be waiting before).
    private static func queue(_ count: Int, on limiter: RateLimiter, _ clock: TestClock) async
        -> [Task<Duration, any Error>]
    {
        var tasks: [Task<Duration, any Error>] = []
        for index in 1...count {
            tasks.append(start(limiter, clock))
            await limiter.untilWaiting(index)
        }
        return tasks
    }
}
