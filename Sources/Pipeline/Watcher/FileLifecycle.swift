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
    var contentHash: String
    /// Set when an earlier run recorded its bulk change (a resume).
    var bulkChangeID: Int64?
}

/// The life of one dropped file: claimed by an atomic rename into the state directory with a
/// ledger entry, applied once (a file with the content of one already applied is reported as a
/// duplicate instead), then archived; a file that cannot be used goes to the tenant's
/// `rejected/` folder with a reason, and is never retried.
struct FileLifecycle: Sendable {
    let workspace: Workspace
    let log: EventLog
    var notifier: Notifier { Notifier(workspace: workspace, log: log) }

    private var state: String { workspace.configuration.stateDirectory }
    private var outbox: String { workspace.configuration.outbox }

    /// Moves a settled file out of the inbox and records the claim; `nil` when it vanished meanwhile.
    func claim(_ file: InboxFile) async -> ClaimedFile? {
        let destination = "\(state)/processing/\(file.tenant)/\(UUID().uuidString)/\(file.name)"
        let path: String
        do {
            path = try FileMoves.move(file.path, to: destination)
        } catch {
            log.event("claim-failed", level: .error, ["tenant": file.tenant, "file": file.name, "reason": "\(error)"])
            return nil
        }
        let hash = (try? SHA256.hex(ofFile: path)) ?? ""
        let now = workspace.now()
        do {
            let tenantID = try await workspace.tenantID(named: file.tenant)
            let entry = LedgerEntry(
                tenantID: tenantID, originalName: file.name, size: file.size, contentHash: hash, claimedAt: now,
                processingPath: path, status: .claimed)
            let id = try await workspace.store.write { connection in try connection.addLedgerEntry(entry) }
            log.event(
                "claimed", ["tenant": file.tenant, "file": file.name, "ledger": "\(id)", "bytes": "\(file.size)"])
            return ClaimedFile(
                ledgerID: id, tenant: file.tenant, tenantID: tenantID, name: file.name, path: path, size: file.size,
                contentHash: hash)
        } catch {
            log.event("claim-failed", level: .error, ["tenant": file.tenant, "file": file.name, "reason": "\(error)"])
            return nil
        }
    }

    /// Applies a claimed file and puts it away. A stop (`interrupted`) or a store failure leaves it
    /// claimed, so the next start resumes it.
    func apply(_ file: ClaimedFile, options: RunOptions) async {
        if file.size == 0 && file.bulkChangeID == nil {
            return await reject(file, reason: "the file is empty; export the spreadsheet again and drop the new file")
        }
        if file.bulkChangeID == nil, let earlier = await earlierRun(of: file) {
            return await reportDuplicate(file, of: earlier)
        }
        var options = options
        options.sourceName = file.name
        options.ledgerID = file.ledgerID
        let runner = BulkChangeRunner(workspace: workspace)
        do {
            let report =
                if let id = file.bulkChangeID {
                    try await runner.resume(bulkChangeID: id, path: file.path, options: options)
                } else {
                    try await runner.run(path: file.path, tenant: file.tenant, options: options)
                }
            await close(file, status: .done, note: "bulk change \(report.summary.bulkChangeID)")
            await notifier.fileFinished(report, name: file.name)
            log.event(
                "finished",
                [
                    "tenant": file.tenant, "file": file.name, "bulk_change": "\(report.summary.bulkChangeID)",
                    "rows": "\(report.summary.rows)", "processed": "\(report.summary.count(.processed))",
                    "failed": "\(report.summary.count(.failed))", "rejected": "\(report.summary.count(.rejected))",
                    "status": report.summary.status,
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
        default:
            log.event(
                "apply-failed", level: .error, ["tenant": file.tenant, "file": file.name, "reason": "\(error)"])
        }
    }

    /// The last applied file of this tenant with the same content, if any.
    private func earlierRun(of file: ClaimedFile) async -> LedgerEntry? {
        try? await workspace.store.read { connection in
            try connection.processedLedgerEntry(tenantID: file.tenantID, contentHash: file.contentHash)
        }
    }

    private func reportDuplicate(_ file: ClaimedFile, of earlier: LedgerEntry) async {
        let earlierStem = (earlier.originalName as NSString).deletingPathExtension
        let stem = (file.name as NSString).deletingPathExtension
        let notice = """
            \(file.name) was not applied: its content is the same as \(earlier.originalName), applied on \
            \(Timestamps.iso8601(earlier.finishedAt ?? earlier.claimedAt)) as bulk change \
            \(earlier.bulkChangeID.map(String.init) ?? "?").
            Its results: \(outbox)/\(file.tenant)/\(earlierStem).results.csv
            To apply the same changes again on purpose, change the file (for example its rows) and drop it again.

            """
        FileMoves.writeNote(notice, to: "\(outbox)/\(file.tenant)/\(stem).duplicate.txt")
        await close(file, status: .duplicate, note: "same content as ledger entry \(earlier.id ?? 0)")
        log.event(
            "duplicate", level: .warning, ["tenant": file.tenant, "file": file.name, "earlier": earlier.originalName])
    }

    /// Moves the file to `outbox/<tenant>/rejected/` with `<name>.reason.txt` beside it.
    private func reject(_ file: ClaimedFile, reason: String) async {
        let target = try? FileMoves.move(file.path, to: "\(outbox)/\(file.tenant)/rejected/\(file.name)")
        FileMoves.writeNote(
            "\(file.name) was not applied: \(reason)\n",
            to: (target ?? "\(outbox)/\(file.tenant)/rejected/\(file.name)") + ".reason.txt")
        await finishLedger(file, status: .rejected, note: reason)
        removeClaimFolder(of: file)
        await notifier.fileRejected(name: file.name, tenant: file.tenant, reason: reason, ledgerID: file.ledgerID)
        log.event("rejected", level: .warning, ["tenant": file.tenant, "file": file.name, "reason": reason])
    }

    /// Archives the file under `<state>/archive/<tenant>/<day>/` and closes its ledger entry.
    private func close(_ file: ClaimedFile, status: LedgerStatus, note: String) async {
        let day = Timestamps.day(workspace.now())
        _ = try? FileMoves.move(file.path, to: "\(state)/archive/\(file.tenant)/\(day)/\(file.name)")
        await finishLedger(file, status: status, note: note)
        removeClaimFolder(of: file)
    }

    private func finishLedger(_ file: ClaimedFile, status: LedgerStatus, note: String) async {
        let now = workspace.now()
        do {
            try await workspace.store.write { connection in
                try connection.closeLedgerEntry(id: file.ledgerID, status: status, note: note, at: now)
            }
        } catch {
            log.event("ledger-failed", level: .error, ["file": file.name, "reason": "\(error)"])
        }
    }

    /// Removes the claim's own folder once the file has left it (`rmdir` leaves a folder that is not empty).
    private func removeClaimFolder(of file: ClaimedFile) {
        _ = rmdir(URL(fileURLWithPath: file.path).deletingLastPathComponent().path)
    }
}
