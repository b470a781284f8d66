import Store

/// Writes many small units of work to the store in few transactions (group commit): while one
/// transaction runs, the units that arrive wait and then go together in the next one. Each unit
/// still lands whole in one transaction, and its caller hears whether it did.
///
/// When a shared transaction fails, its units are written again one per transaction, so one bad
/// unit cannot take its neighbours down with it.
actor GroupCommit {
    typealias Work = @Sendable (StoreConnection) throws -> Void

    private let store: Store
    private var waiting: [(work: Work, done: CheckedContinuation<StoreError?, Never>)] = []
    private var flushing = false

    init(store: Store) {
        self.store = store
    }

    /// Runs `work` in a transaction shared with other units; returns when it is committed.
    func write(_ work: @escaping Work) async throws(StoreError) {
        let failure = await withCheckedContinuation(isolation: self) { continuation in
            waiting.append((work, continuation))
            if !flushing {
                flushing = true
                Task { await flush() }
            }
        }
        if let failure { throw failure }
    }

    private func flush() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            let works = batch.map(\.work)
            do {
                try await store.write { connection in
                    for work in works { try work(connection) }
                }
                for unit in batch { unit.done.resume(returning: nil) }
            } catch {
                for unit in batch {
                    do {
                        try await store.write(unit.work)
                        unit.done.resume(returning: nil)
                    } catch {
                        unit.done.resume(returning: error)
                    }
                }
            }
        }
        flushing = false
    }
}
