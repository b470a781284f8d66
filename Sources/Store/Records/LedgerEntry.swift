import Foundation

/// One file taken out of an inbox: what it was, where it is now, and how its processing ended.
///
/// An entry is added CLAIMED when the watcher moves a file out of the inbox, linked to the bulk
/// change made from it, and closed exactly once as DONE, DUPLICATE or REJECTED. Entries still
/// CLAIMED after a crash are the files to resume.
public struct LedgerEntry: Sendable, Equatable {
    /// Nil until added.
    public var id: Int64?
    /// The tenant whose inbox the file came from.
    public var tenantID: Int64
    /// The file's name as it was dropped in the inbox.
    public var originalName: String
    /// The file's size in bytes when it was claimed.
    public var size: Int64
    /// The SHA-256 of the file's content, as lowercase hex; equal hashes mean the same content.
    /// Empty until the file has been read (a claim whose hashing failed is held with a note).
    public var contentHash: String
    /// When the file was taken out of the inbox.
    public var claimedAt: Date
    /// Where the file is now (the processing directory, later the archive).
    public var processingPath: String
    /// CLAIMED while the file is being processed, then its outcome.
    public var status: LedgerStatus
    /// The bulk change made from the file; nil until it is recorded, and for a file that never
    /// became one (a duplicate, a rejected file).
    public var bulkChangeID: Int64?
    /// When the entry was closed; nil while CLAIMED.
    public var finishedAt: Date?
    /// Why the entry was closed the way it was, for people (e.g. the reason a file was rejected).
    public var note: String?

    /// A ledger entry; `id`, `bulkChangeID`, `finishedAt` and `note` stay nil until stored, linked
    /// and closed.
    public init(
        id: Int64? = nil, tenantID: Int64, originalName: String, size: Int64, contentHash: String, claimedAt: Date,
        processingPath: String, status: LedgerStatus = .claimed, bulkChangeID: Int64? = nil, finishedAt: Date? = nil,
        note: String? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.originalName = originalName
        self.size = size
        self.contentHash = contentHash
        self.claimedAt = claimedAt
        self.processingPath = processingPath
        self.status = status
        self.bulkChangeID = bulkChangeID
        self.finishedAt = finishedAt
        self.note = note
    }
}

/// Where a ledger entry stands: CLAIMED until it is closed once with one of the other three.
public enum LedgerStatus: String, Sendable, CaseIterable {
    /// Taken out of the inbox and not finished yet; resumed after a crash.
    case claimed = "CLAIMED"
    /// Applied: its bulk change was recorded and its outcomes written.
    case done = "DONE"
    /// Not applied because a file with the same content was already applied for the tenant.
    case duplicate = "DUPLICATE"
    /// Not applied because the file could not be read or was not a valid bulk change.
    case rejected = "REJECTED"
}
