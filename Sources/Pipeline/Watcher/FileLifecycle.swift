import BulkChange
import Foundation
import Glibc
import Store

/// A file taken out of the inbox: where it is now, and its ledger entry.
struct ClaimedFile: Sendable {
    var ledgerID: Int64
    var tenant: String
    var tenantID: Int64
    /// The name the partner gave it.
    var name: String
    /// Where it is now, under `<state>/processing/<tenant>/`.
    var path: String
    var size: Int64
    /// Empty until the file has been read through once.
    var contentHash: String
    /// Set when an earlier run recorded its bulk change (a resume).
    var bulkChangeID: Int64?
}

/// The life of one dropped file: claimed with a ledger entry and moved into the state directory
/// (`FileClaims`), hashed, applied once (a file with the content of one already applied is reported
/// as a duplicate instead), then archived; a file that cannot be used goes to the tenant's
/// `rejected/` folder with a reason, and is never retried.
///
/// Whatever goes wrong on the way is logged with its reason and leaves the entry CLAIMED, so the
/// next start takes the file up again; an entry is closed only once every row of its bulk change
/// has an outcome.
struct FileLifecycle: Sendable {
    let workspace: Workspace
    let log: EventLog
    var notifier: Notifier { Notifier(workspace: workspace, log: log) }

    private var state: String { workspace.configuration.stateDirectory }
    private var outbox: String { workspace.configuration.outbox }

    var claims: FileClaims { FileClaims(workspace: workspace, log: log) }

    /// Claims a settled inbox file (see `FileClaims`) and hashes it; `nil` when it vanished
    /// meanwhile, could not be recorded, or could not be read (then it is held, with the reason on
    /// its ledger entry, until the next start).
    func claim(_ file: InboxFile) async -> ClaimedFile? {
        guard let claimed = await claims.claim(file) else { return nil }
        return await hashed(claimed)
    }

    /// The file with its content hash recorded; `nil` when it cannot be read now (it is held).
    private func hashed(_ file: ClaimedFile) async -> ClaimedFile? {
        guard file.contentHash.isEmpty else { return file }
        let path = file.path
        do {
            let digest = try await FileWork.run { () throws(SHA256.FileError) in try SHA256.digest(ofFile: path) }
            try await write { connection in
                try connection.setLedgerHash(id: file.ledgerID, contentHash: digest.hex, size: digest.bytes)
            }
            var file = file
            file.contentHash = digest.hex
            file.size = digest.bytes
            return file
        } catch {
            await hold(file, reason: "\(error)")
            return nil
        }
    }

    /// Leaves a claimed file aside with the reason: it is not applied, not taken for a duplicate,
    /// and tried again at the next start.
    private func hold(_ file: ClaimedFile, reason: String) async {
        log.event("held", level: .error, ["tenant": file.tenant, "file": file.name, "reason": reason])
        do {
            try await write { connection in try connection.holdLedgerEntry(id: file.ledgerID, reason: reason) }
        } catch {
            log.event("ledger-failed", level: .error, ["file": file.name, "reason": "\(error)"])
        }
        await giveBack(file)
    }

    /// Applies a claimed file and puts it away. A stop (`interrupted`) or any failure to record
    /// leaves it claimed, so the next start resumes it.
    func apply(_ claimed: ClaimedFile, options: RunOptions) async {
        let present: ClaimedFile
        switch await claims.present(claimed) {
        case .ready(let file): present = file
        case .removed(let removed):
            let reason = "the file was removed from \(removed.path) before it was read; none of its rows was applied"
            return await reject(removed, reason: reason + ", drop it again")
        case .gone: return
        }
        // A recorded bulk change resumes from the store: its file is not needed (it may be gone).
        guard let file = present.bulkChangeID == nil ? await hashed(present) : present else { return }
        if file.size == 0 && file.bulkChangeID == nil {
            return await reject(file, reason: "the file is empty; export the spreadsheet again and drop the new file")
        }
        if file.bulkChangeID == nil {
            do {
                if let earlier = try await earlierRun(of: file) { return await reportDuplicate(file, of: earlier) }
            } catch {
                log.event(
                    "apply-failed", level: .error,
                    ["tenant": file.tenant, "file": file.name, "reason": "cannot look for an earlier run: \(error)"])
                return await giveBack(file)
            }
        }
        var options = options
        options.sourceName = file.name
        options.ledgerID = file.ledgerID
        options.contentHash = file.contentHash
        options.readBytes = file.size
        let findings = LateWriteFindings()
        options.finalWarnings = lateWriteCheck(file, findings: findings)
        let runner = BulkChangeRunner(workspace: workspace)
        do {
            let report =
                if let id = file.bulkChangeID {
                    try await runner.resume(bulkChangeID: id, options: options)
                } else {
                    try await runner.run(path: file.path, tenant: file.tenant, options: options)
                }
            guard await close(file, status: .done, note: "bulk change \(report.summary.bulkChangeID)") else { return }
            // With rows still awaiting confirmation, the partner hears once they settle (ConfirmationLoop).
            if report.summary.awaitingConfirmation.isEmpty { await notifier.fileFinished(report, name: file.name) }
            if !findings.found.isEmpty {
                await notifier.fileChanged(
                    name: file.name, tenant: file.tenant, warnings: findings.found, ledgerID: file.ledgerID,
                    bulkChangeID: report.summary.bulkChangeID)
            }
            log.event(
                "finished",
                [
                    "tenant": file.tenant, "file": file.name, "bulk_change": "\(report.summary.bulkChangeID)",
                    "rows": "\(report.summary.rows)", "processed": "\(report.summary.count(.processed))",
                    "failed": "\(report.summary.count(.failed))", "rejected": "\(report.summary.count(.rejected))",
                    "awaiting": "\(report.summary.awaitingConfirmation.count)", "status": report.summary.status,
                ])
        } catch {
            await handle(error, for: file)
        }
    }

    private func handle(_ error: PipelineError, for file: ClaimedFile) async {
        switch error {
        case .input, .unknownProvider, .inventoryFile:
            await reject(file, reason: "\(error)")
        case .interrupted(let id):
            log.event("stopped", level: .warning, ["tenant": file.tenant, "file": file.name, "bulk_change": "\(id)"])
        case .leased(let id, let holder):
            // Another worker on the same database has the file's rows in hand: not a failure.
            log.event(
                "worked-elsewhere",
                ["tenant": file.tenant, "file": file.name, "bulk_change": "\(id)", "worker": holder])
        default:
            log.event(
                "apply-failed", level: .error,
                ["tenant": file.tenant, "file": file.name, "reason": "\(error)", "next": "resumed at the next start"])
        }
        await giveBack(file)
    }

    /// Gives the file's lease back when this process leaves it unfinished (a stop, a failure, a
    /// hold): another process, or the next start, takes it up.
    private func giveBack(_ file: ClaimedFile) async {
        await workspace.leases.release(.file, file.ledgerID)
    }

    /// The last applied file of this tenant with the same content, if any.
    private func earlierRun(of file: ClaimedFile) async throws(StoreError) -> LedgerEntry? {
        try await workspace.store.read { connection in
            try connection.processedLedgerEntry(tenantID: file.tenantID, contentHash: file.contentHash)
        }
    }

    private func reportDuplicate(_ file: ClaimedFile, of earlier: LedgerEntry) async {
        let recorded = try? await workspace.store.read { connection in
            try earlier.bulkChangeID.flatMap { id throws(StoreError) in try connection.bulkChange(id: id) }
        }
        let earlierStem = recorded?.resultStem ?? OutboxWriter.stem(of: earlier.originalName)
        let stem = OutboxWriter.stem(of: file.name)
        let notice = """
            \(file.name) was not applied: its content is the same as \(earlier.originalName), applied on \
            \(Timestamps.iso8601(earlier.finishedAt ?? earlier.claimedAt)) as bulk change \
            \(earlier.bulkChangeID.map(String.init) ?? "?").
            Its results: \(outbox)/\(file.tenant)/\(earlierStem).results.csv
            To apply the same changes again on purpose, change the file (for example its rows) and drop it again.

            """
        await writeNote(notice, to: "\(outbox)/\(file.tenant)/\(stem).duplicate.txt", for: file)
        guard await close(file, status: .duplicate, note: "same content as ledger entry \(earlier.id ?? 0)") else {
            return
        }
        log.event(
            "duplicate", level: .warning, ["tenant": file.tenant, "file": file.name, "earlier": earlier.originalName])
    }

    /// Moves the file to `outbox/<tenant>/rejected/` with `<name>.reason.txt` beside it.
    private func reject(_ file: ClaimedFile, reason: String) async {
        let rejected = "\(outbox)/\(file.tenant)/rejected/\(file.name)"
        let moved = await move(file, to: rejected)
        await writeNote("\(file.name) was not applied: \(reason)\n", to: (moved ?? rejected) + ".reason.txt", for: file)
        guard await finishLedger(file, status: .rejected, note: reason, movedTo: moved) else { return }
        await notifier.fileRejected(name: file.name, tenant: file.tenant, reason: reason, ledgerID: file.ledgerID)
        log.event("rejected", level: .warning, ["tenant": file.tenant, "file": file.name, "reason": reason])
    }

    /// Archives the file under `<state>/archive/<tenant>/<day>/` and closes its ledger entry;
    /// `false` when the entry could not be closed (the file is then resumed at the next start).
    /// A resumed file someone removed meanwhile is not needed: its rows were applied from the store.
    private func close(_ file: ClaimedFile, status: LedgerStatus, note: String) async -> Bool {
        let path = file.path
        guard await FileWork.run({ FileManager.default.fileExists(atPath: path) }) else {
            let removed =
                "; the file was removed from \(path) after it was recorded, and its rows were applied from the store"
            return await finishLedger(file, status: status, note: note + removed, movedTo: nil)
        }
        let day = Timestamps.day(workspace.now())
        let archived = await move(file, to: "\(state)/archive/\(file.tenant)/\(day)/\(file.name)")
        let stillThere = archived == nil ? "; the file could not be archived and is still at \(file.path)" : ""
        return await finishLedger(file, status: status, note: note + stillThere, movedTo: archived)
    }

    /// Moves the claimed file on and removes its claim folder; the new path, or `nil` (logged) when
    /// it could not be moved.
    private func move(_ file: ClaimedFile, to destination: String) async -> String? {
        let source = file.path
        do {
            let moved = try await FileWork.run { () throws(FileMoves.Failure) in
                let moved = try FileMoves.move(source, to: destination)
                // `rmdir` leaves a folder that is not empty, so only the claim's own empty folder goes.
                _ = rmdir(URL(fileURLWithPath: source).deletingLastPathComponent().path)
                return moved
            }
            return moved
        } catch {
            log.event("move-failed", level: .error, ["tenant": file.tenant, "file": file.name, "reason": "\(error)"])
            return nil
        }
    }

    /// Closes the ledger entry; `false` (logged) when the store refused or failed. The entry then
    /// stays CLAIMED, and still says where the file is, so the next start finds it.
    private func finishLedger(_ file: ClaimedFile, status: LedgerStatus, note: String, movedTo path: String?) async
        -> Bool
    {
        let now = workspace.now()
        let owner = workspace.leases.owner
        do {
            try await write { connection in
                try connection.closeLedgerEntry(id: file.ledgerID, status: status, note: note, at: now, movedTo: path)
                try connection.releaseLease(.file, id: file.ledgerID, owner: owner)
            }
            return true
        } catch {
            log.event("ledger-failed", level: .error, ["file": file.name, "reason": "\(error)"])
        }
        guard let path else { return false }
        do {
            try await write { connection in try connection.updateLedgerPath(id: file.ledgerID, processingPath: path) }
        } catch {
            log.event(
                "ledger-failed", level: .error,
                [
                    "file": file.name,
                    "reason": "the file moved to \(path) but the ledger still names \(file.path): \(error)",
                ])
        }
        return false
    }

    /// Writes a reason or duplicate notice; a failure is logged with the text it would have held.
    private func writeNote(_ text: String, to path: String, for file: ClaimedFile) async {
        do {
            try await FileWork.run { () throws(FileMoves.Failure) in try FileMoves.writeNote(text, to: path) }
        } catch {
            log.event(
                "note-failed", level: .error,
                ["tenant": file.tenant, "file": file.name, "reason": "\(error)", "note": text])
        }
    }

    private func write<T: Sendable>(_ body: @escaping @Sendable (StoreConnection) throws -> T) async throws(StoreError)
        -> T
    {
        try await workspace.store.write(body)
    }
}
