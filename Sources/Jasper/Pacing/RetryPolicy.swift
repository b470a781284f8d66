/// When to try a failed call again: retryable errors only, a capped number of attempts, and an
/// exponentially growing, jittered wait, or the wait the server asked for.
///
/// Throttling is different: it never fails a call while the throttle budget lasts, however many
/// attempts that takes (the account's limiter slows down meanwhile). And an edit whose answer was
/// lost is never sent again here: the carrier may have applied it, so the caller reads it back.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first one included (throttled attempts aside).
    public var maxAttempts: Int
    /// The wait ceiling after the first failure; it doubles after each further one.
    public var baseDelay: Duration
    /// No wait is longer than this, `Retry-After` included.
    public var maxDelay: Duration
    /// How long a throttled call keeps being tried, from its first attempt.
    public var throttleBudget: Duration

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        throttleBudget: Duration = .seconds(600)
    ) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.throttleBudget = throttleBudget
    }

    /// No retries at all.
    public static let never = RetryPolicy(maxAttempts: 1, throttleBudget: .zero)

    /// The wait before attempt `attempt + 1` after `error` ended attempt `attempt`, or `nil` to give up.
    ///
    /// - Parameters:
    ///   - elapsed: time since the first attempt, for the throttle budget.
    ///   - isEdit: the call changes the device: an error that may hide an applied edit ends it.
    ///   - randomFraction: a value in `0..<1` for the "full jitter" of the wait, given by the
    ///     caller so the policy itself stays a pure function.
    public func delay(
        after error: JasperError, attempt: Int, elapsed: Duration = .zero, isEdit: Bool = false,
        randomFraction: Double
    ) -> Duration? {
        guard error.isRetryable, !(isEdit && error.mayHaveBeenApplied) else { return nil }
        if case .throttled(_, let retryAfter) = error {
            guard elapsed < throttleBudget else { return nil }
            // The account's limiter has slowed down and paces the next attempt; only a wait the
            // server asked for is added.
            return retryAfter.map { min($0, maxDelay) } ?? .zero
        } else {
            guard attempt < maxAttempts else { return nil }
        }
        var ceiling = baseDelay
        for _ in 1..<attempt where ceiling < maxDelay { ceiling *= 2 }
        ceiling = min(ceiling, maxDelay)
        return ceiling * min(max(randomFraction, 0), 1)
    }
}
