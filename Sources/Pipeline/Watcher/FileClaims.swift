import Foundation
import Store

/// Taking a file out of the inbox without a gap: the ledger entry and this process's lease on it
/// are written first, then the file is renamed into its claim folder
/// (`<state>/processing/<tenant>/<claim>/<name>`), then hashed. A process killed at any point
/// leaves a ledger entry (or, from before this order, an orphan file) that the next start finds.
struct FileClaims: Sendable {
    let workspace: Workspace
    let log: EventLog

    private var state: String { workspace.configuration.stateDirectory }

    /// Records the claim of a settled inbox file and moves it; `nil` when it vanished meanwhile or
    /// could not be recorded (then it stays in the inbox for the next poll).
    func claim(_ file: InboxFile) async -> ClaimedFile? {
        let destination = "\(state)/processing/\(file.tenant)/\(UUID().uuidString)/\(file.name)"
        guard let claimed = await record(tenant: file.tenant, name: file.name, size: file.size, path: destination)
        else { return nil }
        guard await moveIn(file.path, for: claimed) else { return nil }
        log.event(
            "claimed",
            ["tenant": file.tenant, "file": file.name, "ledger": "\(claimed.ledgerID)", "bytes": "\(file.size)"])
        return claimed
    }

    /// Makes sure a resumed claim without a bulk change has its file: a process killed between the
    /// entry and the move left the file in the inbox, and the move is finished now. `nil` when the
    /// file is in neither place: the entry is withdrawn when the file never reached its claim
    /// folder, and `removed` is returned when it was taken away after the move.
    func present(_ file: ClaimedFile) async -> Presence {
        guard file.bulkChangeID == nil else { return .ready(file) }
        let inbox = "\(workspace.configuration.inbox)/\(file.tenant)/\(file.name)"
        let (atClaim, inInbox, folderMade) = await FileWork.run {
            let manager = FileManager.default
            return (
                manager.fileExists(atPath: file.path), manager.fileExists(atPath: inbox),
                manager.fileExists(atPath: URL(fileURLWithPath: file.path).deletingLastPathComponent().path)
            )
        }
        if atClaim { return .ready(file) }
        if inInbox {
            guard await moveIn(inbox, for: file) else { return .gone }
            log.event(
                "claim-completed", level: .warning,
                ["tenant": file.tenant, "file": file.name, "ledger": "\(file.ledgerID)"])
            return .ready(file)
        }
        if folderMade { return .removed(file) }
        await withdraw(file, reason: "the file left the inbox before its claim was finished")
        return .gone
    }

    /// Where a resumed claim's file is.
    enum Presence {
        /// In its claim folder.
        case ready(ClaimedFile)
        /// Moved into its claim folder, then removed by someone before it was read.
        case removed(ClaimedFile)
        /// Never claimed after all: the entry was withdrawn (or could not be, and is logged).
        case gone
    }

    /// Records in the ledger the files left in the processing folder without an entry (moved there
    /// by a version that claimed before it recorded, then killed): they are applied like any other
    /// claim, so none is lost. Entries come before moves now, so no live process is between the two.
    func adoptOrphans() async {
        let root = "\(state)/processing"
        let tenants = workspace.configuration.tenants
        let (files, problems) = await FileWork.run { OrphanClaims.scan(processing: root, tenants: tenants) }
        for problem in problems { log.event("orphan-scan-failed", level: .error, ["reason": problem]) }
        for file in files {
            guard
                let claimed = await record(
                    tenant: file.tenant, name: file.name, size: file.size, path: file.path, unlessKnown: true)
            else { continue }
            // Taken up with the other open entries, under the lease it has now.
            log.event(
                "adopted", level: .warning,
                ["tenant": file.tenant, "file": file.name, "path": file.path, "ledger": "\(claimed.ledgerID)"])
        }
    }

    /// Adds the CLAIMED ledger entry of a file at (or about to be at) `path`, with this process's
    /// lease on it, in one transaction; its hash follows once it is read. With `unlessKnown`, a path
    /// the ledger names already is left alone (`nil`).
    private func record(tenant: String, name: String, size: Int64, path: String, unlessKnown: Bool = false) async
        -> ClaimedFile?
    {
        do {
            let tenantID = try await workspace.tenantID(named: tenant)
            let entry = LedgerEntry(
                tenantID: tenantID, originalName: name, size: size, contentHash: "", claimedAt: workspace.now(),
                processingPath: path, status: .claimed)
            let leases = workspace.leases
            let id: Int64? = try await workspace.store.write { connection in
                if unlessKnown, try connection.ledgerNames(path: path) { return nil }
                let id = try connection.addLedgerEntry(entry)
                _ = try leases.claim(.file, id, in: connection)
                return id
            }
            guard let id else { return nil }
            leases.keepRenewing()
            return ClaimedFile(
                ledgerID: id, tenant: tenant, tenantID: tenantID, name: name, path: path, size: size, contentHash: "")
        } catch {
            log.event(
                "claim-failed", level: .error,
                ["tenant": tenant, "file": name, "reason": "\(error)", "next": "tried again at the next poll or start"])
            return nil
        }
    }

    /// Moves the file to its recorded claim path; when it cannot, the entry is withdrawn.
    private func moveIn(_ source: String, for file: ClaimedFile) async -> Bool {
        let destination = file.path
        do {
            _ = try await FileWork.run { () throws(FileMoves.Failure) in try FileMoves.move(source, to: destination) }
            return true
        } catch {
            await withdraw(file, reason: "\(error)")
            return false
        }
    }

    /// Removes the entry of a claim whose file never moved in, so the ledger does not wait for it.
    private func withdraw(_ file: ClaimedFile, reason: String) async {
        let id = file.ledgerID
        do {
            try await workspace.store.write { connection in try connection.withdrawLedgerEntry(id: id) }
            log.event(
                "claim-withdrawn", level: .warning,
                ["tenant": file.tenant, "file": file.name, "ledger": "\(id)", "reason": reason])
        } catch {
            log.event(
                "claim-failed", level: .error,
                [
                    "tenant": file.tenant, "file": file.name, "ledger": "\(id)",
                    "reason": "\(reason); the entry could not be withdrawn: \(error)",
                ])
        }
    }
}
