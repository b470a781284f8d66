/// A budget of calls one Control Center account shares with other processes (several workers on
/// one database): a call that the account's `RateLimiter` lets start also takes one call from
/// it, waiting when the account's calls of this second are spent elsewhere.
public protocol SharedCallBudget: Sendable {
    /// Waits until one more call may start, and takes it.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first; nothing is taken then.
    func take() async throws(CancellationError)
}
