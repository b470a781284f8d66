import BulkChange
import Foundation
import Store

/// Told how many devices are done, and of how many: `(done, total)`.
public typealias Progress = @Sendable (Int, Int) -> Void

/// What one run is about.
struct RunHeader: Sendable {
    var tenant: String
    var tenantID: Int64
    var provider: ServiceProviderRecord
    var changeType: ChangeType
    var sourceFile: String
    /// SHA-256 of the file's bytes, hex.
    var contentHash: String
    var startedAt: Date
}

/// How to run a file.
public struct RunOptions: Sendable {
    /// The service provider when the file does not name one.
    public var provider: String?
    /// Validate and report only.
    public var dryRun: Bool
    public var progress: Progress?
    /// The name the partner gave the file, for the report, when `path` is a claimed copy.
    public var sourceName: String?
    /// The ledger entry of a claimed file; linked to the bulk change in the transaction that records it.
    public var ledgerID: Int64?
    /// The file's SHA-256 when the caller has it already (the watcher hashes at claim time).
    public var contentHash: String?
    /// Asked before each device; `true` starts no more (they stay PENDING, for `resume`).
    public var shouldStop: (@Sendable () -> Bool)?
    /// Read only this many bytes of the file: those hashed at claim time.
    public var readBytes: Int64?
    /// Asked once every device is done, before the result files are written: warnings found
    /// meanwhile (a file that changed after its claim), added to the bulk change's summary.
    public var finalWarnings: (@Sendable () async -> [String])?

    public init(
        provider: String? = nil, dryRun: Bool = false, progress: Progress? = nil, sourceName: String? = nil,
        ledgerID: Int64? = nil, contentHash: String? = nil, shouldStop: (@Sendable () -> Bool)? = nil
    ) {
        self.contentHash = contentHash
        self.provider = provider
        self.dryRun = dryRun
        self.progress = progress
        self.sourceName = sourceName
        self.ledgerID = ledgerID
        self.shouldStop = shouldStop
    }
}

/// A file read, validated and recorded: what is left is to process it.
struct Intake: Sendable {
    var header: RunHeader
    var recorded: RecordedChange
}

/// A recorded bulk change; its devices waiting to be processed are read from the store page by
/// page (`BulkChangeRunner.pendingPage`), never all at once.
struct RecordedChange: Sendable {
    var bulkChangeID: Int64
    /// Rows with an outcome before this run: rejected when read, or finished by an earlier run.
    /// Progress counts them as done, so its total is the whole file's, resumed or not.
    var settled: Int
    /// Every row of the bulk change.
    var rows: Int
}

/// A valid row waiting for its processor; its device record is read just before it is processed.
struct PendingDevice: Sendable {
    var detailID: Int64
    var request: ChangeRequest
    /// Already PROCESSING when a run was interrupted: its calls may have gone out, so the
    /// processor checks Control Center before repeating a step that is not idempotent.
    var inFlight: Bool = false
}

/// What a run produced: the summary, the first result rows, and the outbox files.
public struct RunReport: Sendable {
    public var summary: RunSummary
    /// The result rows, in input order: the first `rowsKept` of them (the files hold them all, and
    /// the summary counts them all).
    public var results: [ResultRow]
    public var paths: OutboxPaths

    /// How many result rows a report keeps in memory.
    public static let rowsKept = 10_000
}
