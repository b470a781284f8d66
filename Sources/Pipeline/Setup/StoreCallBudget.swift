import Foundation
import Jasper
import Store

/// An account's calls shared by every worker on one database: a token bucket in the store
/// (`call_budget`), from which this process takes a few calls at a time.
///
/// What every worker together may start in any second of the server's stays within the
/// configured `callsPerSecond`: the bucket holds at most one batch and fills at a rate that
/// leaves room for that batch and for calls taken at the end of one second and made early in the
/// next, and a taken call not made within `freshness` is given up rather than made late.
actor StoreCallBudget: SharedCallBudget {
    private let store: Store
    private let account: String
    private let batch: Int
    private let rate: Double
    /// Calls taken and not made yet, by when they were taken.
    private var taken: [ContinuousClock.Instant] = []
    private var refill: Task<Duration, Never>?

    /// How long a taken call may wait to be made.
    static let freshness = Duration.milliseconds(50)

    init(store: Store, account: String, callsPerSecond: Double) {
        self.store = store
        self.account = account
        batch = max(1, Int(callsPerSecond / 20))
        // Any second of the server's gets at most a full bucket plus what fills in a second and a
        // quarter: calls taken just before it and made in it, late by up to `freshness` and the
        // trip, or answered late by a busy server that counts them when it reads them.
        rate = max(0.1, (callsPerSecond - Double(batch)) / 1.25)
    }

    func take() async throws(CancellationError) {
        while true {
            if Task.isCancelled { throw CancellationError() }
            let fresh = ContinuousClock.now - Self.freshness
            taken.removeAll { $0 < fresh }
            if !taken.isEmpty {
                taken.removeFirst()
                return
            }
            // One refill at a time; the others wait for it and look again.
            let refill = self.refill ?? Task { await self.takeBatch() }
            self.refill = refill
            let wait = await refill.value
            if self.refill == refill { self.refill = nil }
            if taken.isEmpty {
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    throw CancellationError()
                }
            }
        }
    }

    /// Takes a batch from the store; returns how long to wait when it gave none. A store that
    /// cannot be reached gives none for a while: no call goes out unaccounted. The bucket fills by
    /// the wall clock, whatever clock the pipeline runs on: the server counts real seconds (the
    /// workers' clocks are kept by NTP; a skew between them adds at most one batch).
    private func takeBatch() async -> Duration {
        let (account, batch, rate, time) = (account, batch, rate, Date())
        let grant: CallGrant
        do {
            grant = try await store.write { connection in
                try connection.takeCalls(
                    account: account, wanted: batch, rate: rate, capacity: Double(batch), now: time)
            }
        } catch {
            return .milliseconds(500)
        }
        let instant = ContinuousClock.now
        taken += Array(repeating: instant, count: grant.granted)
        return max(grant.wait, .milliseconds(1))
    }
}
