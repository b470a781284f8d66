internal import CCurl
internal import CurlRuntime
import Synchronization

/// libcurl's multi interface driven by one dedicated thread, so any number of requests run
/// concurrently without a blocking call ever reaching Swift's cooperative pool.
///
/// Other threads only append to `pending` and call `curl_multi_wakeup` (documented as safe from
/// any thread); every other use of the multi handle and the easy handles happens on the loop
/// thread. Connections stay open in the multi handle's cache and are reused across requests.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Shared {
        var pending: [CurlTransfer] = []
        var cancelled: Set<Int> = []
        var nextID = 0
        var stopping = false
    }

    private let multi: UnsafeMutableRawPointer
    private let configuration: HTTPClientConfiguration
    private let shared = Mutex(Shared())
    private var thread: DedicatedThread?
    /// Transfers added to the multi handle, by id; touched only on the loop thread.
    private var running: [Int: CurlTransfer] = [:]

    init(configuration: HTTPClientConfiguration) {
        CurlRuntime.ensureInitialized()
        self.configuration = configuration
        multi = curl_multi_init()!
        thread = DedicatedThread { [self] in run() }
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Queues a transfer; its continuation is resumed on the loop thread.
    func enqueue(_ transfer: CurlTransfer) {
        let accepted = shared.withLock { state in
            guard !state.stopping else { return false }
            state.pending.append(transfer)
            return true
        }
        guard accepted else { return transfer.complete(.failure(.shutDown)) }
        curl_multi_wakeup(multi)
    }

    /// A fresh id for a transfer, for `cancel(_:)`.
    func makeID() -> Int {
        shared.withLock { state in
            state.nextID += 1
            return state.nextID
        }
    }

    /// Asks the loop to abandon transfer `id`; it completes with `.cancelled`.
    func cancel(_ id: Int) {
        shared.withLock { _ = $0.cancelled.insert(id) }
        curl_multi_wakeup(multi)
    }

    /// Fails what is still running with `.shutDown` and stops the thread. Idempotent.
    func shutdown() {
        let first = shared.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        curl_multi_wakeup(multi)
        thread?.join()
    }

    private func run() {
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
            guard let easy = message.pointee.easy_handle, let transfer = running[CurlTransfer.id(of: easy)] else {
                continue
            }
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
