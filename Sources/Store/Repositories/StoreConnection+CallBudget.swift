import Foundation

/// What a take from an account's call budget gave: `granted` calls, and when none, how long until
/// the next one is there.
public struct CallGrant: Equatable, Sendable {
    public let granted: Int
    public let wait: Duration

    public init(granted: Int, wait: Duration) {
        self.granted = granted
        self.wait = wait
    }
}

extension StoreConnection {
    /// Takes up to `wanted` calls from the account's bucket, which holds at most `capacity` and
    /// fills at `rate` calls per second; an account seen the first time starts full. Call it in a
    /// write transaction: the read and the update of the bucket must not interleave with another
    /// worker's.
    public func takeCalls(account: String, wanted: Int, rate: Double, capacity: Double, now: Date)
        throws(StoreError) -> CallGrant
    {
        let seconds = now.timeIntervalSince1970
        let read = "SELECT tokens, refilled_at FROM call_budget WHERE account = ?1"
        let stored = try queryFirst("reading the call budget of \(account)", read, [SQLValue(account)]) {
            ($0.double(0), $0.double(1))
        }
        let (tokens, refilledAt) = stored ?? (capacity, seconds)
        let available = min(capacity, tokens + max(0, seconds - refilledAt) * rate)
        let granted = min(wanted, Int(available.rounded(.down)))
        let write = """
            INSERT INTO call_budget (account, tokens, refilled_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (account) DO UPDATE SET tokens = excluded.tokens, refilled_at = excluded.refilled_at
            """
        try run(
            "taking from the call budget of \(account)", write,
            [SQLValue(account), SQLValue(available - Double(granted)), SQLValue(seconds)])
        let wait = granted > 0 ? Duration.zero : .seconds((1 - available) / rate)
        return CallGrant(granted: granted, wait: wait)
    }
}
