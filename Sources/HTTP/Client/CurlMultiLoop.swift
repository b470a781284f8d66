internal import CurlRuntime
import Synchronization

/// libcurl's multi interface driven by one dedicated thread, so any number of requests run
/// concurrently without a blocking call ever reaching Swift's cooperative pool.
///
/// The thread keeps only the `Core` (the multi handle and the hand-over state) alive, never this
/// object: when the last owner lets go of the loop without calling `shutdown()`, `deinit` stops
/// the thread, and the core and its multi handle are freed once both have let go.
final class CurlMultiLoop: Sendable {
    let core: Core
    /// The loop thread until it is joined; the lock also makes concurrent `shutdown()` calls wait
    /// for the one that joins.
    private let thread: Mutex<DedicatedThread?>

    init(configuration: HTTPClientConfiguration) {
        CurlRuntime.ensureInitialized()
        let core = Core(configuration: configuration)
        self.core = core
        thread = Mutex(DedicatedThread { core.run() })
    }

    deinit {
        shutdown()
    }

    /// Queues a transfer; its continuation is resumed on the loop thread, or at once when the
    /// transfer was cancelled before it got here or the loop no longer runs.
    func enqueue(_ transfer: CurlTransfer) {
        core.enqueue(transfer)
    }

    /// A fresh id for a transfer, for `cancel(_:)`; pass it to the transfer given to `enqueue`.
    func makeID() -> Int {
        core.makeID()
    }

    /// Abandons transfer `id` with `.cancelled`, whether it is enqueued yet or not; nothing when
    /// it has already completed.
    func cancel(_ id: Int) {
        core.cancel(id)
    }

    /// Fails what is still running with `.shutDown` and stops the thread; returns once the thread
    /// has ended. Idempotent, and safe from several threads at once.
    func shutdown() {
        core.stop()
        thread.withLock { thread in
            thread?.join()
            thread = nil
        }
    }
}
