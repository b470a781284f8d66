internal import CCurl
import Synchronization

extension CurlMultiLoop {
    /// The multi handle, the transfers handed over to the loop thread, and the loop itself.
    ///
    /// Other threads only change `shared` and call `curl_multi_wakeup` (documented as safe from
    /// any thread); every other use of the multi handle and of the easy handles it holds happens
    /// on the loop thread. Connections stay open in the multi handle's cache and are reused.
    final class Core: @unchecked Sendable {
        private struct Shared {
            var pending: [CurlTransfer] = []
            var cancelled: Set<Int> = []
            var nextID = 0
            var stopping = false
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
                return state.nextID
            }
        }

        func enqueue(_ transfer: CurlTransfer) {
            let accepted = shared.withLock { state in
                guard !state.stopping else { return false }
                state.pending.append(transfer)
                return true
            }
            guard accepted else { return transfer.complete(.failure(.shutDown)) }
            curl_multi_wakeup(multi)
        }

        func cancel(_ id: Int) {
            shared.withLock { _ = $0.cancelled.insert(id) }
            curl_multi_wakeup(multi)
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
                    return (state.pending, state.cancelled, state.stopping)
                }
                for transfer in newTransfers { start(transfer) }
                for id in cancelled { finish(id, with: .failure(.cancelled)) }
                if stopping {
                    for id in Array(running.keys) { finish(id, with: .failure(.shutDown)) }
                    return
                }
                var stillRunning: Int32 = 0
                curl_multi_perform(multi, &stillRunning)
                collectCompleted()
                curl_multi_poll(multi, nil, 0, 1000, nil)
            }
        }

        private func start(_ transfer: CurlTransfer) {
            let code = transfer.configure(configuration)
            guard code == CURLE_OK else { return transfer.complete(.failure(transfer.error(for: code))) }
            running[transfer.id] = transfer
            curl_multi_add_handle(multi, transfer.easy)
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

        private func finish(_ id: Int, with result: Result<HTTPResponse, HTTPClientError>) {
            guard let transfer = running.removeValue(forKey: id) else { return }
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.complete(result)
        }
    }
}
