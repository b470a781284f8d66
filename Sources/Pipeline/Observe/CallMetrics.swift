import Foundation
import Jasper
import Store
import Synchronization

/// What this process's Control Center calls did, per provider: calls by result, throttled calls,
/// retries, a latency histogram, the call rate now and per minute over the last hour, and the last
/// call's result. Fed by every `JasperClient` of the workspace; read by `/metrics`, `/readyz` and
/// the status page.
///
/// The numbers are this process's own: with several workers, Prometheus adds them up.
public final class CallMetrics: Sendable {
    /// The upper bounds of the latency histogram's buckets, in seconds (`+Inf` comes on top).
    public static let latencyBuckets: [Double] = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    /// How many seconds the current call rate is averaged over.
    public static let rateWindowSeconds = 10
    /// How many minutes the per-minute history keeps.
    public static let historyMinutes = 60

    private let now: @Sendable () -> Date
    private let providers = Mutex<[String: ProviderCalls]>([:])

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Records one attempt of a call to `provider`'s Control Center.
    public func record(_ exchange: JasperExchange, provider: String) {
        let result = CallResult(exchange)
        guard !result.isOurs else { return }  // cancelled or stopped by this process: not the carrier's doing
        let time = now()
        providers.withLock { providers in
            providers[provider, default: ProviderCalls()].add(exchange, result: result, at: time)
        }
    }

    /// The calls of the current and the previous minute per provider (the previous one may have
    /// grown since it was last reported): what the heartbeat writes to the store.
    public func recentMinutes() -> [CallMinute] {
        let minute = Self.minute(of: now())
        return providers.withLock { providers in
            providers.flatMap { name, calls in
                [minute - 1, minute].compactMap { key in
                    let count = calls.perMinute.count(at: key)
                    return count > 0 ? CallMinute(provider: name, minute: key, calls: count) : nil
                }
            }
        }
    }

    /// Whole seconds since 1970 of `date`: how calls are counted for the current rate.
    static func second(of date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// Minutes since 1970 (UTC) of `date`: how calls are counted per minute here and in the store.
    public static func minute(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 60).rounded(.down))
    }

    /// Every provider that was called, by name.
    public func snapshot() -> [String: ProviderCallsSnapshot] {
        let time = now()
        return providers.withLock { providers in providers.mapValues { $0.snapshot(at: time) } }
    }
}

/// One provider's calls as `CallMetrics` reads them at one moment.
public struct ProviderCallsSnapshot: Sendable {
    /// Calls by result: the HTTP status (`200`, `429`) or, without an answer, what went wrong
    /// (`timeout`, `connection_failed`, `no_answer`, `tls`).
    public var callsByResult: [String: Int]
    public var throttled: Int
    /// Attempts after the first of a call.
    public var retries: Int
    /// Calls per latency bucket, not cumulative; one more entry than `CallMetrics.latencyBuckets` for the rest.
    public var latencyCounts: [Int]
    public var latencySumSeconds: Double
    /// Calls per second over the last `CallMetrics.rateWindowSeconds`.
    public var callsPerSecond: Double
    /// Calls per minute, oldest first, `CallMetrics.historyMinutes` entries ending with the current minute.
    public var callsPerMinute: [Int]
    public var lastCall: LastCall
    /// How many of the latest calls in a row were not healthy answers (0 when the last one was).
    public var failuresInARow: Int

    /// The most recent call: when, its result, and whether the carrier answered as a working service does.
    public struct LastCall: Sendable {
        public var at: Date
        public var result: String
        /// False for no answer, a 5xx, refused credentials or an answer that could not be read.
        public var healthy: Bool
        public var summary: String
    }
}

/// The running totals of one provider.
private struct ProviderCalls {
    var callsByResult: [String: Int] = [:]
    var throttled = 0
    var retries = 0
    var latencyCounts = [Int](repeating: 0, count: CallMetrics.latencyBuckets.count + 1)
    var latencySumSeconds = 0.0
    /// Calls per whole second (seconds since 1970), the last `rateWindowSeconds` of them.
    var perSecond = SlotCounts(size: CallMetrics.rateWindowSeconds)
    /// Calls per whole minute (minutes since 1970), the last `historyMinutes` of them.
    var perMinute = SlotCounts(size: CallMetrics.historyMinutes)
    /// Replaced by the first call, which creates these totals.
    var lastCall = ProviderCallsSnapshot.LastCall(at: .distantPast, result: "none", healthy: true, summary: "")
    var failuresInARow = 0

    mutating func add(_ exchange: JasperExchange, result: CallResult, at time: Date) {
        callsByResult[result.label, default: 0] += 1
        if result.isThrottled { throttled += 1 }
        if exchange.attempt > 1 { retries += 1 }
        let seconds = exchange.duration.seconds
        latencyCounts[CallMetrics.latencyBuckets.firstIndex { seconds <= $0 } ?? CallMetrics.latencyBuckets.count] += 1
        latencySumSeconds += seconds
        perSecond.add(at: CallMetrics.second(of: time))
        perMinute.add(at: CallMetrics.minute(of: time))
        lastCall = .init(at: time, result: result.label, healthy: result.isHealthy, summary: result.summary)
        failuresInARow = result.isHealthy ? 0 : failuresInARow + 1
    }

    func snapshot(at time: Date) -> ProviderCallsSnapshot {
        let recent = perSecond.window(endingAt: CallMetrics.second(of: time)).reduce(0, +)
        let history = perMinute.window(endingAt: CallMetrics.minute(of: time))
        return ProviderCallsSnapshot(
            callsByResult: callsByResult, throttled: throttled, retries: retries, latencyCounts: latencyCounts,
            latencySumSeconds: latencySumSeconds,
            callsPerSecond: Double(recent) / Double(CallMetrics.rateWindowSeconds), callsPerMinute: history,
            lastCall: lastCall, failuresInARow: failuresInARow)
    }
}

/// How one attempt ended, as the metrics name it.
private struct CallResult {
    let label: String
    let isThrottled: Bool
    let isHealthy: Bool
    /// Cancelled or stopped by this process.
    let isOurs: Bool
    let summary: String

    init(_ exchange: JasperExchange) {
        var isOurs = false
        var isThrottled = false
        var isHealthy = true
        var label = exchange.status.map(String.init) ?? "no_answer"
        switch exchange.error {
        case .throttled?: isThrottled = true
        case .invalidCredentials?, .serverError?, .malformedResponse?: isHealthy = false
        case .timeout?: (label, isHealthy) = ("timeout", false)
        case .connectionFailed?: (label, isHealthy) = ("connection_failed", false)
        case .noAnswer?: (label, isHealthy) = ("no_answer", false)
        case .tls?: (label, isHealthy) = ("tls", false)
        case .cancelled?, .stopped?: isOurs = true
        case .notFound?, .badRequest?, nil: break
        }
        self.label = label
        self.isThrottled = isThrottled
        self.isHealthy = isHealthy
        self.isOurs = isOurs
        summary = exchange.error.map { "\($0)" } ?? "\(exchange.call): \(label)"
    }
}

/// Counts per time slot (a second, a minute) for the last `size` slots, in a fixed ring: adding a
/// call never allocates, and a slot that fell out of the window reads as 0.
struct SlotCounts {
    private var slots: [Int64]
    private var counts: [Int]

    init(size: Int) {
        slots = Array(repeating: .min, count: size)
        counts = Array(repeating: 0, count: size)
    }

    mutating func add(at slot: Int64) {
        let index = index(of: slot)
        if slots[index] != slot { (slots[index], counts[index]) = (slot, 0) }
        counts[index] += 1
    }

    func count(at slot: Int64) -> Int {
        let index = index(of: slot)
        return slots[index] == slot ? counts[index] : 0
    }

    /// The counts of the `size` slots that end with `last`, oldest first.
    func window(endingAt last: Int64) -> [Int] {
        let size = Int64(slots.count)
        return (0..<size).map { count(at: last - size + 1 + $0) }
    }

    private func index(of slot: Int64) -> Int {
        let size = Int64(slots.count)
        return Int((slot % size + size) % size)
    }
}
