import Synchronization

extension HTTPServer {
    /// The connections and threads that the acceptor, the connection threads and `shutdown()` share.
    ///
    /// A connection's thread is joined soon after it finishes (by the acceptor, before its next `accept`), so a
    /// long-running server does not pile up ended threads; `joinAll()` joins the rest when the server stops.
    final class Registry: Sendable {
        private struct State {
            var stopping = false
            var nextID = 0
            /// The connections open now, by id.
            var open: [Int: Socket] = [:]
            var peak = 0
            /// The threads started and not yet joined, by connection id.
            var threads: [Int: DedicatedThread] = [:]
            /// Connections whose thread has finished serving (or is about to) and can be joined.
            var finished: [Int] = []
        }

        private let state = Mutex(State())

        var openCount: Int { state.withLock { $0.open.count } }
        var peakCount: Int { state.withLock { $0.peak } }
        var isStopping: Bool { state.withLock { $0.stopping } }

        /// Records an accepted connection and returns its id, or nil when the server is stopping.
        func register(_ socket: Socket) -> Int? {
            state.withLock { state in
                guard !state.stopping else { return nil }
                let id = state.nextID
                state.nextID += 1
                state.open[id] = socket
                state.peak = max(state.peak, state.open.count)
                return id
            }
        }

        /// Records the thread serving connection `id`; called by the acceptor right after starting it.
        func attach(_ thread: DedicatedThread, to id: Int) {
            state.withLock { $0.threads[id] = thread }
        }

        /// Called by a connection's thread as its last act: the connection no longer counts as open.
        ///
        /// The socket itself closes a moment later, when the thread lets go of it.
        func finish(_ id: Int) {
            state.withLock { state in
                state.open[id] = nil
                state.finished.append(id)
            }
        }

        /// Joins the threads of finished connections; called by the acceptor, which has attached all of them.
        func joinFinished() {
            let threads = state.withLock { state in
                let threads = state.finished.compactMap { state.threads.removeValue(forKey: $0) }
                state.finished.removeAll()
                return threads
            }
            for thread in threads { thread.join() }
        }

        /// Refuses new connections and shuts down every open one, which wakes threads waiting to read.
        func stop() {
            state.withLock { state in
                state.stopping = true
                for socket in state.open.values { socket.shutdownBoth() }
            }
        }

        /// Joins every connection thread; call after `stop()`, once the acceptor has ended.
        func joinAll() {
            let threads = state.withLock { state in
                let threads = Array(state.threads.values)
                state.threads.removeAll()
                state.finished.removeAll()
                return threads
            }
            for thread in threads { thread.join() }
        }
    }
}
