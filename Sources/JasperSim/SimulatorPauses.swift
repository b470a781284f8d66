import Dispatch
import Synchronization

/// The waits of a served simulator's handlers (latency, slow and late answers), cut short when
/// the server stops, so stopping never waits out a minute-long injected delay.
final class SimulatorPauses: Sendable {
    /// Entered once at creation and left once at `stop()`: waiting on it ends at the stop.
    private let running = DispatchGroup()
    private let stopped = Mutex(false)

    /// Pauses that are never cut short, for `JasperSimulator.handle(_:)` called directly.
    static let uninterrupted = SimulatorPauses()

    init() {
        running.enter()
    }

    /// Blocks this (server) thread for `duration`, or until `stop()`; the simulator's handlers run
    /// on dedicated threads, not on Swift's cooperative pool.
    ///
    /// - Returns: `false` when the pause was cut short by `stop()`.
    @discardableResult
    func pause(_ duration: Duration) -> Bool {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int(min(max(seconds, 0), 1_000_000_000)) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        return running.wait(timeout: .now() + .nanoseconds(max(0, nanoseconds))) == .timedOut
    }

    /// Ends every pause now and later.
    func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if first { running.leave() }
    }

    deinit {
        stop()
    }
}
