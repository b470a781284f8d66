import Foundation
import Store
import Synchronization

/// The service loop of `bulkdrop run`: polls the inbox, moves misplaced files aside, claims files
/// whose size and time have settled, and applies them in arrival order per tenant, tenants side by
/// side (they share each provider's rate limiter); applies due scheduled changes and purges archived
/// records past their retention on the way; and on start resumes the files an earlier run left claimed.
public final class InboxWatcher: Sendable {
    /// How often and how patiently the inbox is read.
    public struct Settings: Sendable {
        public var pollInterval: Duration
        /// A file is taken only when its size and time stayed the same this long.
        public var settleInterval: Duration
        /// How often a running file reports progress.
        public var progressInterval: Duration

        public init(
            pollInterval: Duration = .seconds(2), settleInterval: Duration = .seconds(5),
            progressInterval: Duration = .seconds(10)
        ) {
            self.pollInterval = pollInterval
            self.settleInterval = settleInterval
            self.progressInterval = progressInterval
        }
    }

    public let workspace: Workspace
    let settings: Settings
    let log: EventLog
    private let lifecycle: FileLifecycle
    private let tracker: Mutex<SettleTracker>
    private let queues = Mutex<TenantQueues>(TenantQueues())
    private let stopping = Atomic<Bool>(false)
    /// The ledger entries this process took up (claimed, resumed or taken over), so it never takes
    /// one up twice: one that failed waits for the next start or another process.
    private let takenUp = Mutex<Set<Int64>>([])
    /// Whether this worker is helping with other workers' files (`PageHelper`) now.
    private let helping = Atomic<Bool>(false)
    private let inventorySync: PeriodicInventorySync

    public init(workspace: Workspace, settings: Settings = Settings(), log: EventLog? = nil) {
        self.workspace = workspace
        self.settings = settings
        let log = log ?? EventLog(now: workspace.now)
        self.log = log
        lifecycle = FileLifecycle(workspace: workspace, log: log)
        tracker = Mutex(SettleTracker(settleInterval: settings.settleInterval))
        inventorySync = PeriodicInventorySync(workspace: workspace, log: log)
    }

    /// Asks the loop to stop: no new file, device or Control Center call is started; calls on the
    /// wire finish and are recorded.
    public func requestStop() {
        stopping.store(true, ordering: .relaxed)
        workspace.stopCalls()
    }

    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Runs until `requestStop`, or with `once` until the inbox holds nothing more that settles.
    public func run(once: Bool) async {
        log.event("started", ["inbox": workspace.configuration.inbox, "once": "\(once)"])
        for tenant in workspace.configuration.tenants {
            for root in [workspace.configuration.inbox, workspace.configuration.outbox] {
                do {
                    try FileManager.default.createDirectory(
                        atPath: "\(root)/\(tenant)", withIntermediateDirectories: true)
                } catch {
                    log.event("folder-failed", level: .error, ["folder": "\(root)/\(tenant)", "reason": "\(error)"])
                }
            }
        }
        let deadline = workspace.now().addingTimeInterval(settings.settleInterval.seconds * 3)
        // One failed renewal (a busy database) is followed by the next a third of a lease later; a
        // process that cannot renew at all loses its leases, and its work stops at the next check.
        let retry = "\(Int(workspace.leases.duration.seconds / 3)) s"
        workspace.leases.onRenewalFailure { [log] error in
            log.event(
                "lease-failed", level: .warning,
                ["reason": "\(error)", "next": "tried again in \(retry); the leases run out if it keeps failing"])
        }
        workspace.leases.keepRenewing()  // the heartbeat: `status` lists this worker from now on
        await withTaskGroup(of: Void.self) { group in
            await lifecycle.claims.adoptOrphans()
            var atStart = true
            while !isStopping {
                // Files left claimed by a stopped run, or by a process whose leases ran out.
                for file in await resumable(atStart: atStart) { enqueue(file, in: &group) }
                atStart = false
                await applyDueScheduledChanges()
                await ConfirmationLoop(workspace: workspace, log: log).checkDue()
                await Notifier(workspace: workspace, log: log).deliverDue()
                inventorySync.startDue(in: &group)
                helpOtherWorkers(in: &group)
                let (claimed, waiting) = await poll()
                for file in claimed { enqueue(file, in: &group) }
                if once, claimed.isEmpty, waiting == 0 || workspace.now() > deadline, queues.withLock({ $0.idle }) {
                    break
                }
                try? await Task.sleep(for: settings.pollInterval)
            }
            await group.waitForAll()
        }
        await Notifier(workspace: workspace, log: log).deliverDue()
        do {
            try await workspace.leases.releaseAll()
        } catch {
            log.event(
                "lease-release-failed", level: .error, ["reason": "\(error)", "next": "they run out by themselves"])
        }
        log.event("stopped", ["reason": isStopping ? "signal" : "inbox empty"])
    }

    /// What one look at the inbox did.
    public struct PollResult: Sendable, Equatable {
        /// The names of the files claimed (they are applied by `run`, or resumed by the next one).
        public var claimed: [String]
        /// Files in tenant folders still settling.
        public var waiting: Int

        public init(claimed: [String], waiting: Int) {
            self.claimed = claimed
            self.waiting = waiting
        }
    }

    /// One look at the inbox without applying anything: misplaced files moved aside, settled
    /// files claimed (a later `run` applies them).
    public func pollOnce() async -> PollResult {
        let (claimed, waiting) = await poll()
        return PollResult(claimed: claimed.map(\.name), waiting: waiting)
    }

    /// One look at the inbox: misplaced files moved aside, settled files claimed. Returns the
    /// claimed files and how many candidates are still settling.
    func poll() async -> (claimed: [ClaimedFile], waiting: Int) {
        let tenants = Set(workspace.configuration.tenants)
        let inbox = workspace.configuration.inbox
        let scan = await FileWork.run { InboxScanner.scan(inbox: inbox, tenants: tenants) }
        for file in scan.misplaced { await moveAside(file) }
        for file in scan.unreadableNames { await setAside(file) }
        let now = workspace.now()
        let ready = tracker.withLock { $0.ready(scan.candidates, now: now) }
        var claimed: [ClaimedFile] = []
        for file in ready where !isStopping {
            tracker.withLock { $0.forget(file.path) }
            if let claim = await lifecycle.claim(file) {
                takenUp.withLock { _ = $0.insert(claim.ledgerID) }
                claimed.append(claim)
            }
        }
        return (claimed, scan.candidates.count - ready.count)
    }

    /// Files an earlier run claimed but did not finish, oldest first.
    private func resumable(atStart: Bool) async -> [ClaimedFile] {
        let entries: [(LedgerEntry, String)]
        do {
            entries = try await workspace.store.read { connection in
                try connection.openLedgerEntries().map { ($0, try connection.tenantName(id: $0.tenantID) ?? "") }
            }
        } catch {
            log.event("resume-failed", level: .error, ["reason": "\(error)"])
            return []
        }
        var files: [ClaimedFile] = []
        let leases = workspace.leases
        for (listed, tenant) in entries {
            guard let id = listed.id, !takenUp.withLock({ $0.contains(id) }) else { continue }
            // A file held because it could not be read is tried again at the next start, not each poll.
            if !atStart, listed.note?.hasPrefix("held: ") == true { continue }
            let entry: LedgerEntry
            do {
                // Another live process works it, or finished it since the list was read: leave it
                // alone. The entry is read again in the transaction that takes its lease.
                let current = try await workspace.store.write { connection in
                    guard let fresh = try connection.ledgerEntry(id: id), fresh.status == .claimed,
                        try leases.claim(.file, id, in: connection)
                    else { return LedgerEntry?.none }
                    return fresh
                }
                guard let current else { continue }
                entry = current
                leases.keepRenewing()
            } catch {
                log.event("resume-failed", level: .error, ["ledger": "\(id)", "reason": "\(error)"])
                continue
            }
            takenUp.withLock { _ = $0.insert(id) }
            log.event("resuming", ["tenant": tenant, "file": entry.originalName, "ledger": "\(id)"])
            files.append(
                ClaimedFile(
                    ledgerID: id, tenant: tenant, tenantID: entry.tenantID, name: entry.originalName,
                    path: entry.processingPath, size: entry.size, contentHash: entry.contentHash,
                    bulkChangeID: entry.bulkChangeID))
        }
        return files
    }

    /// Queues a claimed file behind its tenant's earlier ones; starts the tenant's worker when idle.
    private func enqueue(_ file: ClaimedFile, in group: inout TaskGroup<Void>) {
        let start = queues.withLock { $0.append(file) }
        guard start else { return }
        group.addTask { [self] in
            while let next = queues.withLock({ $0.next(for: file.tenant) }) {
                guard !isStopping else {
                    queues.withLock { $0.stop(file.tenant) }
                    return
                }
                let reporter = ProgressReporter(
                    file: next, outbox: workspace.configuration.outbox, interval: settings.progressInterval,
                    now: workspace.now, log: log)
                await lifecycle.apply(
                    next, options: RunOptions(progress: reporter.report, shouldStop: { [self] in isStopping }))
                await reporter.finish()
            }
        }
    }

    /// On a database shared with other workers, helps with their files' rows (one helper at a time).
    private func helpOtherWorkers(in group: inout TaskGroup<Void>) {
        guard workspace.configuration.database != nil,
            helping.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
        else { return }
        group.addTask { [self] in
            await PageHelper(workspace: workspace, log: log, shouldStop: { [self] in isStopping }).helpOnce()
            helping.store(false, ordering: .relaxed)
        }
    }

    /// Due scheduled changes, then archived records past their retention.
    private func applyDueScheduledChanges() async {
        do {
            let report = try await Scheduler(workspace: workspace, log: log, shouldStop: { [self] in isStopping })
                .applyDue()
            if report.count > 0 {
                log.event(
                    "scheduled-applied", level: report.attention > 0 ? .warning : .info,
                    [
                        "count": "\(report.count)", "processed": "\(report.count(.processed))",
                        "failed": "\(report.count(.failed))", "to_check": "\(report.count(.needsCheck))",
                    ])
            }
        } catch {
            log.event("scheduler-failed", level: .error, ["reason": "\(error)"])
        }
        await RetentionPurge(workspace: workspace, log: log).purgeDue()
    }

    /// A file outside any tenant folder: moved to `<state>/misplaced/` with a reason file beside it.
    private func moveAside(_ file: MisplacedFile) async {
        await moveAside(file, to: "\(workspace.configuration.stateDirectory)/misplaced", event: "misplaced")
    }

    /// A file whose name is not UTF-8, renamed to its escaped name: in a tenant's folder it is
    /// rejected (moved to `<outbox>/<tenant>/rejected/`), elsewhere it is misplaced.
    private func setAside(_ file: UnreadableName) async {
        let hidden = "\(file.folder)/.bulkdrop-\(UUID().uuidString).unreadable-name"
        do {
            try await FileWork.run { () throws(FileMoves.Failure) in try file.rename(to: hidden) }
        } catch {
            return log.event("rejected", level: .error, ["file": file.escaped, "not_moved": "\(error)"])
        }
        let reason =
            "its name is not UTF-8 (the bytes that are not are shown as \\xNN: \(file.escaped)); "
            + "rename it with letters, digits, '.', '_' and '-' and drop it again"
        let moved = MisplacedFile(path: hidden, name: file.escaped, reason: reason)
        if let tenant = file.tenant {
            await moveAside(moved, to: "\(workspace.configuration.outbox)/\(tenant)/rejected", event: "rejected")
        } else {
            await moveAside(moved, to: "\(workspace.configuration.stateDirectory)/misplaced", event: "misplaced")
        }
    }

    /// Moves a file that will not be applied into `folder`, with `<name>.reason.txt` beside it.
    private func moveAside(_ file: MisplacedFile, to folder: String, event: String) async {
        do {
            let target = try await FileWork.run { () throws(FileMoves.Failure) in
                let target = try FileMoves.move(file.path, to: "\(folder)/\(file.name)")
                try FileMoves.writeNote("\(file.name): \(file.reason)\n", to: target + ".reason.txt")
                return target
            }
            log.event(event, level: .warning, ["file": file.name, "reason": file.reason, "moved_to": target])
        } catch {
            log.event(event, level: .error, ["file": file.path, "reason": file.reason, "not_moved": "\(error)"])
        }
    }
}

/// Claimed files waiting per tenant, and which tenants have a worker.
struct TenantQueues: Sendable {
    private var waiting: [String: [ClaimedFile]] = [:]
    private var busy: Set<String> = []

    /// Adds a file; `true` when its tenant has no worker yet (the caller starts one).
    mutating func append(_ file: ClaimedFile) -> Bool {
        waiting[file.tenant, default: []].append(file)
        return busy.insert(file.tenant).inserted
    }

    /// The tenant's next file, or `nil` (and the worker ends) when there is none.
    mutating func next(for tenant: String) -> ClaimedFile? {
        guard var files = waiting[tenant], !files.isEmpty else {
            busy.remove(tenant)
            return nil
        }
        let file = files.removeFirst()
        waiting[tenant] = files
        return file
    }

    /// The worker stops early (a stop was asked); its waiting files stay claimed for the next start.
    mutating func stop(_ tenant: String) {
        busy.remove(tenant)
        waiting[tenant] = nil
    }

    var idle: Bool { busy.isEmpty }
}
