internal import CCurl
import Synchronization

extension CurlMultiLoop {
    /// The multi handle, the transfers handed over to the loop thread, and the loop itself.
    ///
    /// Other threads only change `shared` and call `curl_multi_wakeup` (documented as safe from
    /// any thread); every other use of the multi handle and of the easy handles it holds happens
    /// on the loop thread. Connections stay open in the multi handle's cache and are reused.
    ///
    /// A transfer id goes through: handed out (`unsent`), enqueued (`pending`), taken by the loop
    /// thread (`taken`, and `running` once libcurl has it), completed. A cancel finds it in
    /// whichever of these it is, so none is lost to a race with `enqueue`.
    final class Core: @unchecked Sendable {
        private struct Shared {
            /// Ids handed out by `makeID` whose transfer is not enqueued yet; `true` once cancelled.
            var unsent: [Int: Bool] = [:]
            /// Enqueued transfers the loop thread has not taken yet, in order.
            var pending: [CurlTransfer] = []
            /// Ids the loop thread took and has not completed.
            var taken: Set<Int> = []
            /// Of `taken`, the ids to abandon with `.cancelled`.
            var cancelled: Set<Int> = []
            var nextID = 0
            var stopping = false
            /// Set when libcurl's event loop itself failed: the loop has ended, new transfers fail with it.
            var broken: String?
        }

        private let multi: UnsafeMutableRawPointer
        private let configuration: HTTPClientConfiguration
        private let shared = Mutex(Shared())
        /// Transfers added to the multi handle, by id; touched only on the loop thread.
        private var running: [Int: CurlTransfer] = [:]

        init(configuration: HTTPClientConfiguration) {
            self.configuration = configuration
            multi = curl_multi_init()!
        }

        /// Runs after the loop thread has ended and the owner has let go, so no handle is in use.
        deinit {
            curl_multi_cleanup(multi)
        }

        func makeID() -> Int {
            shared.withLock { state in
                state.nextID += 1
                state.unsent[state.nextID] = false
                return state.nextID
            }
        }

        func enqueue(_ transfer: CurlTransfer) {
            let refusal = shared.withLock { state -> HTTPClientError? in
                if state.unsent.removeValue(forKey: transfer.id) == true { return .cancelled }
                if state.stopping { return .shutDown }
                if let broken = state.broken { return transfer.loopFailure(broken) }
                state.pending.append(transfer)
                return nil
            }
            // A refused transfer was never shared with the loop thread, so completing it here is safe.
            if let refusal { return transfer.complete(.failure(refusal)) }
            curl_multi_wakeup(multi)
        }

        func cancel(_ id: Int) {
            enum Step { case none, completeNow(CurlTransfer), wakeLoop }
            let step = shared.withLock { state -> Step in
                if state.unsent[id] != nil {
                    state.unsent[id] = true  // `enqueue` completes it
                    return .none
                }
                if let index = state.pending.firstIndex(where: { $0.id == id }) {
                    return .completeNow(state.pending.remove(at: index))
                }
                guard state.taken.contains(id) else { return .none }  // completed already
                state.cancelled.insert(id)
                return .wakeLoop
            }
            switch step {
            case .none: break
            // Taken out of `pending` under the lock, so the loop thread never sees it.
            case .completeNow(let transfer): transfer.complete(.failure(.cancelled))
            case .wakeLoop: curl_multi_wakeup(multi)
            }
        }

        /// Asks the loop thread to fail what runs with `.shutDown` and end.
        func stop() {
            shared.withLock { $0.stopping = true }
            curl_multi_wakeup(multi)
        }

        /// The loop thread's body: hand-overs in, libcurl's work, completions out, until stopped.
        func run() {
            while true {
                let (newTransfers, cancelled, stopping) = shared.withLock { state in
                    defer {
                        state.pending.removeAll()
                        state.cancelled.removeAll()
                    }
                    for transfer in state.pending { state.taken.insert(transfer.id) }
                    return (state.pending, state.cancelled, state.stopping)
                }
                if stopping {
                    for transfer in newTransfers { complete(transfer, with: .failure(.shutDown)) }
                    for id in Array(running.keys) { finish(id, with: .failure(.shutDown)) }
                    return
                }
                for transfer in newTransfers { start(transfer) }
                for id in cancelled { finish(id, with: .failure(.cancelled)) }
                var stillRunning: Int32 = 0
                let performed = curl_multi_perform(multi, &stillRunning)
                guard performed == CURLM_OK else { return fail("curl_multi_perform", performed) }
                collectCompleted()
                let polled = curl_multi_poll(multi, nil, 0, 1000, nil)
                guard polled == CURLM_OK else { return fail("curl_multi_poll", polled) }
            }
        }

        private func start(_ transfer: CurlTransfer) {
            let code = transfer.configure(configuration)
            guard code == CURLE_OK else { return complete(transfer, with: .failure(transfer.error(for: code))) }
            let added = curl_multi_add_handle(multi, transfer.easy)
            guard added == CURLM_OK else {
                return complete(transfer, with: .failure(transfer.error(adding: added)))
            }
            running[transfer.id] = transfer
        }

        private func collectCompleted() {
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE else { continue }
                let code = message.pointee.data.result
                guard let easy = message.pointee.easy_handle, let transfer = running[CurlTransfer.id(of: easy)]
                else { continue }
                if code == CURLE_OK {
                    let response = HTTPResponse(
                        status: transfer.responseStatus, headers: transfer.responseHeaders, body: transfer.responseBody)
                    finish(transfer.id, with: .success(response))
                } else {
                    finish(transfer.id, with: .failure(transfer.error(for: code)))
                }
            }
        }

        /// libcurl's event loop failed: every transfer, running, handed over or still to come,
        /// fails with the reason, and the loop ends rather than spin on a multi handle that fails.
        private func fail(_ call: String, _ code: CURLMcode) {
            let reason = "libcurl's event loop failed in \(call): \(String(cString: curl_multi_strerror(code)))"
            let newTransfers = shared.withLock { state in
                defer { state.pending.removeAll() }
                state.broken = reason
                for transfer in state.pending { state.taken.insert(transfer.id) }
                return state.pending
            }
            for transfer in newTransfers { complete(transfer, with: .failure(transfer.loopFailure(reason))) }
            for (id, transfer) in running { finish(id, with: .failure(transfer.loopFailure(reason))) }
        }

        private func finish(_ id: Int, with result: Result<HTTPResponse, HTTPClientError>) {
            guard let transfer = running.removeValue(forKey: id) else { return }
            curl_multi_remove_handle(multi, transfer.easy)
            complete(transfer, with: result)
        }

        /// Resumes the transfer's task and forgets its id, so a late cancel finds nothing to do.
        private func complete(_ transfer: CurlTransfer, with result: Result<HTTPResponse, HTTPClientError>) {
            shared.withLock { _ = $0.taken.remove(transfer.id) }
            transfer.complete(result)
        }
    }
}
