/// When to try a failed call again: retryable errors only, a capped number of attempts, and an
/// exponentially growing, jittered wait, or the wait the server asked for.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first one included.
    public var maxAttempts: Int
    /// The wait ceiling after the first failure; it doubles after each further one.
    public var baseDelay: Duration
    /// No wait is longer than this, `Retry-After` included.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30)) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries at all.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1` after `error` ended attempt `attempt`, or `nil` to give up.
    ///
    /// - Parameter randomFraction: a value in `0..<1` for the "full jitter" of the wait, given by the
    ///   caller so the policy itself stays a pure function.
    public func delay(after error: JasperError, attempt: Int, randomFraction: Double) -> Duration? {
        guard error.isRetryable, attempt < maxAttempts else { return nil }
        if case .throttled(_, let retryAfter?) = error { return min(retryAfter, maxDelay) }
        var ceiling = baseDelay
        for _ in 1..<attempt where ceiling < maxDelay { ceiling *= 2 }
        ceiling = min(ceiling, maxDelay)
        return ceiling * min(max(randomFraction, 0), 1)
    }
}
