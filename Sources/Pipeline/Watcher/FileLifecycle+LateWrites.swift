import Foundation
import Store
import Synchronization

/// What a claimed file's run learns about writers still at work, found as the bulk change ends
/// (`RunOptions.finalWarnings`) and kept for the email sent after it.
final class LateWriteFindings: Sendable {
    private let warnings = Mutex<[String]>([])

    /// The warnings found, once the run asked for them.
    var found: [String] { warnings.withLock { $0 } }

    func record(_ found: [String]) {
        warnings.withLock { $0 = found }
    }
}

extension FileLifecycle {
    /// How recent a claim of a file with the same name must be for a new drop to be reported as
    /// possibly the rest of it.
    static let sameNameWindow: TimeInterval = 3600

    /// The checks of a claimed file run as its bulk change ends: whether the file changed after
    /// it was hashed (`LateWrite`; the rows a CSV file gained are dropped again as a file of their
    /// own), and, for a new bulk change, whether a file of the same name was claimed shortly before.
    func lateWriteCheck(_ file: ClaimedFile, findings: LateWriteFindings) -> @Sendable () async -> [String] {
        let inbox = "\(workspace.configuration.inbox)/\(file.tenant)"
        let log = self.log
        let workspace = self.workspace
        let since = workspace.now().addingTimeInterval(-Self.sameNameWindow)
        let resumed = file.bulkChangeID != nil
        return {
            var warnings: [String] = []
            if !resumed, let earlier = await Self.earlierDrop(of: file, since: since, in: workspace) {
                warnings.append(
                    "a file named \(file.name) was also claimed at \(Timestamps.iso8601(earlier.claimedAt)) "
                        + "(ledger entry \(earlier.id ?? 0)), less than an hour before this one; if its writer was "
                        + "still at it, this file may hold only the rest of it: check the results of both")
            }
            if var change = await FileWork.run({
                LateWrite.inspect(path: file.path, claimedSize: file.size, hash: file.contentHash)
            }) {
                if change.onlyGrew, file.name.lowercased().hasSuffix(".csv") || file.name.lowercased().hasSuffix(".txt")
                {
                    do {
                        change.continuation = try await FileWork.run { () throws(FileMoves.Failure) in
                            try LateWrite.dropContinuation(
                                of: file.path, name: file.name, claimedSize: file.size, ledgerID: file.ledgerID,
                                into: inbox)
                        }
                    } catch {
                        log.event(
                            "continuation-failed", level: .error,
                            ["tenant": file.tenant, "file": file.name, "reason": "\(error)"])
                    }
                }
                warnings.append(change.warning(name: file.name))
                log.event(
                    "changed-after-claim", level: .warning,
                    [
                        "tenant": file.tenant, "file": file.name, "read_bytes": "\(file.size)",
                        "bytes": "\(change.size)", "continuation": change.continuation ?? "none",
                    ])
            }
            findings.record(warnings)
            return warnings
        }
    }

    /// The latest other ledger entry of the tenant for a file of that name claimed after `since`.
    private static func earlierDrop(of file: ClaimedFile, since: Date, in workspace: Workspace) async -> LedgerEntry? {
        try? await workspace.store.read { connection in
            try connection.earlierLedgerEntry(
                tenantID: file.tenantID, name: file.name, except: file.ledgerID, since: since)
        }
    }
}
