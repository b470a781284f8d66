import Foundation
import Glibc
import Store
import Synchronization

/// The leases of this process: each piece of work (a claimed file, a bulk change, a notification)
/// is claimed in the store before it is worked, kept while the process lives (renewed every third
/// of the lease time), and given back when done. A process that dies stops renewing; once its
/// leases run out another process takes the work over.
public final class Leases: Sendable {
    /// This process as an owner: `host:pid:token`.
    public let owner: String
    /// How long a lease lasts without renewal.
    public let duration: Duration
    /// When this process started holding leases, for `status`.
    private let startedAt: Date
    private let store: Store
    private let now: @Sendable () -> Date
    private let renewal = Mutex<Task<Void, Never>?>(nil)
    private let renewalFailure = Mutex<(@Sendable (StoreError) -> Void)?>(nil)
    /// This process's recent calls per provider and minute, written with each heartbeat.
    private let recentCalls: @Sendable () -> [CallMinute]

    /// How many minutes of every worker's calls the store keeps.
    static let callMinutesKept: Int64 = 120

    init(
        store: Store, duration: Duration, now: @escaping @Sendable () -> Date,
        recentCalls: @escaping @Sendable () -> [CallMinute] = { [] }
    ) {
        self.store = store
        self.duration = duration
        self.now = now
        self.recentCalls = recentCalls
        owner = Self.identity()
        startedAt = Date()
    }

    /// `host:pid:token`; the token tells apart two processes that reuse a pid.
    private static func identity() -> String {
        "\(LeaseOwner.thisHost):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Told when renewing or giving back a lease failed (it runs out then, and the work may be
    /// taken over).
    func onRenewalFailure(_ report: @escaping @Sendable (StoreError) -> Void) {
        renewalFailure.withLock { $0 = report }
    }

    /// Takes the lease on `kind` `id` unless another live process holds it.
    ///
    /// - Returns: whether this process holds it now.
    func claim(_ kind: LeaseKind, _ id: Int64) async throws(PipelineError) -> Bool {
        let claimed: Bool
        do {
            claimed = try await store.write { connection in try self.claim(kind, id, in: connection) }
        } catch {
            throw .store(error)
        }
        if claimed { startRenewing() }
        return claimed
    }

    /// Takes the lease inside the caller's transaction (with the work's own record); call
    /// `keepRenewing()` once the transaction committed. A lease whose holder ran on this host
    /// and has died (killed, crashed) is taken over at once rather than when it runs out.
    func claim(_ kind: LeaseKind, _ id: Int64, in connection: StoreConnection) throws(StoreError) -> Bool {
        let time = now()
        let until = time.addingTimeInterval(duration.seconds)
        if try connection.claimLease(kind, id: id, owner: owner, until: until, now: time) { return true }
        guard let holder = try connection.leaseHolder(kind, id: id), LeaseOwner(holder.owner).diedOnThisHost else {
            return false
        }
        try connection.releaseLeases(owner: holder.owner)
        return try connection.claimLease(kind, id: id, owner: owner, until: until, now: time)
    }

    /// Renews this process's leases from now on, and beats its heartbeat in the store so `status`
    /// lists it among the workers even while it holds nothing (idempotent). Each beat also writes
    /// this process's calls of the last two minutes, for the status page of every worker.
    public func keepRenewing() {
        startRenewing()
    }

    /// Gives the lease back once the work is done (or left for another process). A failure is
    /// reported like a failed renewal: the lease then runs out by itself.
    func release(_ kind: LeaseKind, _ id: Int64) async {
        let owner = owner
        do throws(StoreError) {
            try await store.write { connection in try connection.releaseLease(kind, id: id, owner: owner) }
        } catch {
            renewalFailure.withLock { $0 }?(error)
        }
    }

    /// Whether this process still holds the lease (it may have run out and been taken over).
    func holds(_ kind: LeaseKind, _ id: Int64) async throws(PipelineError) -> Bool {
        try await holder(kind, id).map { $0.owner == owner && $0.expiresAt > now() } ?? false
    }

    /// Who holds the lease on `kind` `id`, if anybody.
    func holder(_ kind: LeaseKind, _ id: Int64) async throws(PipelineError) -> LeaseHolder? {
        do {
            return try await store.read { connection in try connection.leaseHolder(kind, id: id) }
        } catch {
            throw .store(error)
        }
    }

    /// Gives back every lease this process holds (it stops cleanly: another may take over at once),
    /// and takes it off the workers, with any that has not beaten for a day. Its last calls are
    /// written, so the charts count them.
    func releaseAll() async throws(PipelineError) {
        let (owner, staleBefore) = (owner, Date().addingTimeInterval(-86_400))
        let (calls, keepingFrom) = (recentCalls(), CallMetrics.minute(of: Date()) - Self.callMinutesKept)
        await record(calls, keepingFrom: keepingFrom)
        do {
            try await store.write { connection in
                try connection.releaseLeases(owner: owner)
                try connection.forgetWorkers(owner: owner, staleBefore: staleBefore)
            }
        } catch {
            throw .store(error)
        }
    }

    /// Writes this process's calls per minute in a transaction of their own, so a failure there
    /// never costs a lease. A failure is left alone: the next beat writes the latest minutes again,
    /// and only the status page's chart misses the rest.
    private func record(_ calls: [CallMinute], keepingFrom: Int64) async {
        let owner = owner
        try? await store.write { connection in
            try connection.recordCallMinutes(owner: owner, calls, keepingFrom: keepingFrom)
        }
    }

    /// Stops renewing (the process is closing; its leases run out unless released).
    func stopRenewing() {
        renewal.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    private func startRenewing() {
        renewal.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in
                while !Task.isCancelled {
                    // The heartbeat is the wall clock's: `status` compares it with the reader's.
                    let (owner, until, beat) = (owner, now().addingTimeInterval(duration.seconds), Date())
                    let (host, pid, startedAt) = (LeaseOwner.thisHost, Int(getpid()), startedAt)
                    let (calls, keepingFrom) = (recentCalls(), CallMetrics.minute(of: beat) - Self.callMinutesKept)
                    do throws(StoreError) {
                        _ = try await store.write { connection in
                            try connection.renewLeases(owner: owner, until: until)
                            try connection.beat(owner: owner, host: host, pid: pid, startedAt: startedAt, at: beat)
                        }
                    } catch {
                        renewalFailure.withLock { $0 }?(error)
                    }
                    await record(calls, keepingFrom: keepingFrom)
                    do {
                        try await Task.sleep(for: duration / 3)
                    } catch {
                        return
                    }
                }
            }
        }
    }
}
