/// The clock an account's calls are paced and retried by: any `Clock` measured in `Duration`,
/// read as the time elapsed since it was handed over.
///
/// Production code uses the default, `ContinuousClock`; tests give a clock they move by hand, so
/// the limiter's waits and the client's retry waits happen exactly when the test says.
public struct PacingClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleeper = { deadline in try await clock.sleep(until: origin.advanced(by: deadline), tolerance: nil) }
    }

    /// The time since the clock was handed over.
    public var now: Duration { elapsed() }

    /// Suspends until `now` has reached `deadline`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first (whatever the clock's `sleep` throws).
    public func sleep(until deadline: Duration) async throws {
        try await sleeper(deadline)
    }

    /// Suspends for `duration`, as `Task.sleep(for:)` does on a `ContinuousClock`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first (whatever the clock's `sleep` throws).
    public func sleep(for duration: Duration) async throws {
        try await sleeper(now + duration)
    }
}
