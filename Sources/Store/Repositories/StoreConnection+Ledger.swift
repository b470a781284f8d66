import Foundation

extension StoreConnection {
    /// Stores a ledger entry with the status it has (normally CLAIMED) and returns its id; the
    /// entry's own `id` is ignored.
    ///
    /// - Throws: `StoreError.constraintViolation` for an unknown tenant or bulk change, or a
    ///   negative size.
    public func addLedgerEntry(_ entry: LedgerEntry) throws(StoreError) -> Int64 {
        let sql = """
            INSERT INTO file_ledger (tenant_id, original_name, size, content_hash, claimed_at, processing_path, status,
                bulk_change_id, finished_at, note)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """
        let values = [
            SQLValue(entry.tenantID), SQLValue(entry.originalName), SQLValue(entry.size), SQLValue(entry.contentHash),
            SQLValue(entry.claimedAt), SQLValue(entry.processingPath), SQLValue(entry.status.rawValue),
            SQLValue(entry.bulkChangeID), SQLValue(entry.finishedAt), SQLValue(entry.note),
        ]
        return try insert("adding \(entry.originalName) to the file ledger", sql, values)
    }

    /// The ledger entry with that id, or nil.
    public func ledgerEntry(id: Int64) throws(StoreError) -> LedgerEntry? {
        try queryFirst("reading file ledger entry \(id)", Self.selectLedger + " WHERE id = ?1", [SQLValue(id)]) {
            row throws(StoreError) in try Self.ledgerEntry(from: row)
        }
    }

    /// Removes a CLAIMED entry whose file never left the inbox (the move after the entry failed, or
    /// the process died between the two and the file is gone), with any lease on it.
    ///
    /// - Throws: `StoreError.notFound` unless the entry is CLAIMED with no bulk change.
    public func withdrawLedgerEntry(id: Int64) throws(StoreError) {
        let sql = "DELETE FROM file_ledger WHERE id = ?1 AND status = 'CLAIMED' AND bulk_change_id IS NULL"
        guard try run("withdrawing file ledger entry \(id)", sql, [SQLValue(id)]) == 1 else {
            throw .notFound(kind: "unstarted file ledger entry", id: id)
        }
        try run(
            "releasing the lease of file ledger entry \(id)", "DELETE FROM lease WHERE kind = 'FILE' AND item_id = ?1",
            [SQLValue(id)])
    }

    /// Whether any entry, whatever its status, names `path` as where its file is.
    public func ledgerNames(path: String) throws(StoreError) -> Bool {
        let sql = "SELECT 1 FROM file_ledger WHERE processing_path = ?1 LIMIT 1"
        return try queryFirst("looking for \(path) in the file ledger", sql, [SQLValue(path)]) { _ in true } ?? false
    }

    /// The entries still CLAIMED, oldest claim first: the files to resume after a crash.
    public func openLedgerEntries() throws(StoreError) -> [LedgerEntry] {
        let sql = Self.selectLedger + " WHERE status = 'CLAIMED' ORDER BY claimed_at, id"
        return try query("finding the open file ledger entries", sql) { row throws(StoreError) in
            try Self.ledgerEntry(from: row)
        }
    }

    /// Records the bulk change made from the entry's file.
    ///
    /// - Throws: `StoreError.notFound` for an unknown entry, `.constraintViolation` for an
    ///   unknown bulk change.
    public func linkLedgerEntry(id: Int64, bulkChangeID: Int64) throws(StoreError) {
        let sql = "UPDATE file_ledger SET bulk_change_id = ?2 WHERE id = ?1"
        let values = [SQLValue(id), SQLValue(bulkChangeID)]
        guard try run("linking file ledger entry \(id) to bulk change \(bulkChangeID)", sql, values) == 1 else {
            throw .notFound(kind: "file ledger entry", id: id)
        }
    }

    /// Closes a CLAIMED entry with its outcome (DONE, DUPLICATE or REJECTED), a note for people,
    /// the time it finished and, when the file was moved on, where it is now.
    ///
    /// - Throws: `StoreError.ledgerTransition` when the entry is not CLAIMED or `status` is
    ///   CLAIMED: each entry is closed exactly once; `.ledgerHasOpenRows` while a row of its bulk
    ///   change is still PENDING or PROCESSING; `.notFound` for an unknown entry.
    public func closeLedgerEntry(
        id: Int64, status: LedgerStatus, note: String?, at date: Date, movedTo path: String? = nil
    ) throws(StoreError) {
        guard status != .claimed else { throw try refusedLedgerTransition(id, to: status) }
        let open = try openRowCount(ledgerID: id)
        guard open == 0 else { throw .ledgerHasOpenRows(id: id, open: open) }
        let sql = """
            UPDATE file_ledger SET status = ?2, note = ?3, finished_at = ?4, processing_path = COALESCE(?5, processing_path)
            WHERE id = ?1 AND status = 'CLAIMED'
            """
        let values = [SQLValue(id), SQLValue(status.rawValue), SQLValue(note), SQLValue(date), SQLValue(path)]
        if try run("closing file ledger entry \(id) as \(status.rawValue)", sql, values) == 0 {
            throw try refusedLedgerTransition(id, to: status)
        }
    }

    /// Rows of the entry's bulk change (if any) still PENDING or PROCESSING.
    private func openRowCount(ledgerID id: Int64) throws(StoreError) -> Int {
        let sql = """
            SELECT COUNT(*) FROM bulk_change_detail AS d JOIN file_ledger AS l ON d.bulk_change_id = l.bulk_change_id
            WHERE l.id = ?1 AND d.status IN ('PENDING', 'PROCESSING')
            """
        return try queryFirst("counting the open rows of file ledger entry \(id)", sql, [SQLValue(id)]) {
            $0.int(0)
        } ?? 0
    }

    /// Records the SHA-256 of the entry's file once it has been read, and, when given, its size
    /// then: the bytes the hash covers, which are the bytes applied.
    ///
    /// - Throws: `StoreError.invalidValue` for a hash that is not 64 lowercase hex digits,
    ///   `.notFound` for an unknown entry.
    public func setLedgerHash(id: Int64, contentHash: String, size: Int64? = nil) throws(StoreError) {
        guard contentHash.count == 64, contentHash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw .invalidValue(field: "file_ledger.content_hash", value: contentHash, expected: "a SHA-256 in hex")
        }
        let sql = "UPDATE file_ledger SET content_hash = ?2, size = COALESCE(?3, size), note = NULL WHERE id = ?1"
        guard
            try run(
                "recording the content hash of file ledger entry \(id)", sql,
                [SQLValue(id), SQLValue(contentHash), SQLValue(size)]) == 1
        else { throw .notFound(kind: "file ledger entry", id: id) }
    }

    /// Says on a CLAIMED entry why it is held back (its content cannot be read yet).
    ///
    /// - Throws: `StoreError.notFound` for an unknown entry.
    public func holdLedgerEntry(id: Int64, reason: String) throws(StoreError) {
        let sql = "UPDATE file_ledger SET note = ?2 WHERE id = ?1"
        guard try run("holding file ledger entry \(id)", sql, [SQLValue(id), SQLValue("held: " + reason)]) == 1 else {
            throw .notFound(kind: "file ledger entry", id: id)
        }
    }

    /// Records where the entry's file is now, after it was moved.
    ///
    /// - Throws: `StoreError.notFound` for an unknown entry.
    public func updateLedgerPath(id: Int64, processingPath: String) throws(StoreError) {
        let sql = "UPDATE file_ledger SET processing_path = ?2 WHERE id = ?1"
        guard try run("moving file ledger entry \(id)", sql, [SQLValue(id), SQLValue(processingPath)]) == 1 else {
            throw .notFound(kind: "file ledger entry", id: id)
        }
    }

    /// The tenant's most recently claimed DONE entry with that content hash, or nil: a file with
    /// the same content was already applied.
    ///
    /// Entries of other tenants, and entries CLAIMED, DUPLICATE or REJECTED, never match.
    ///
    /// - Throws: `StoreError.invalidValue` for an empty hash: a file whose content was never read
    ///   is the duplicate of nothing.
    public func processedLedgerEntry(tenantID: Int64, contentHash: String) throws(StoreError) -> LedgerEntry? {
        guard !contentHash.isEmpty else {
            throw .invalidValue(field: "content hash", value: "", expected: "the SHA-256 of a file that was read")
        }
        let sql =
            Self.selectLedger + " WHERE tenant_id = ?1 AND content_hash = ?2 AND status = 'DONE'"
            + " ORDER BY claimed_at DESC, id DESC LIMIT 1"
        return try queryFirst("finding an applied file by content", sql, [SQLValue(tenantID), SQLValue(contentHash)]) {
            row throws(StoreError) in try Self.ledgerEntry(from: row)
        }
    }

    /// The tenant's latest entry, other than `id`, for a file of that name claimed after `since`:
    /// a writer still at a file may drop it again under the same name.
    public func earlierLedgerEntry(tenantID: Int64, name: String, except id: Int64, since: Date)
        throws(StoreError) -> LedgerEntry?
    {
        let sql =
            Self.selectLedger + " WHERE tenant_id = ?1 AND original_name = ?2 AND id <> ?3 AND claimed_at >= ?4"
            + " ORDER BY claimed_at DESC, id DESC LIMIT 1"
        return try queryFirst(
            "finding an earlier file named \(name)", sql,
            [SQLValue(tenantID), SQLValue(name), SQLValue(id), SQLValue(since)]
        ) { row throws(StoreError) in try Self.ledgerEntry(from: row) }
    }

    /// The `limit` most recently claimed entries of every tenant and status, newest first.
    ///
    /// - Throws: `StoreError.invalidValue` for a negative limit.
    public func recentLedgerEntries(limit: Int) throws(StoreError) -> [LedgerEntry] {
        guard limit >= 0 else {
            throw .invalidValue(field: "number of ledger entries", value: "\(limit)", expected: "0 or more")
        }
        let sql = Self.selectLedger + " ORDER BY claimed_at DESC, id DESC LIMIT ?1"
        return try query("reading the recent file ledger entries", sql, [SQLValue(limit)]) {
            row throws(StoreError) in try Self.ledgerEntry(from: row)
        }
    }

    /// Why closing entry `id` as `status` was refused: it does not exist, or its status.
    private func refusedLedgerTransition(_ id: Int64, to status: LedgerStatus) throws(StoreError) -> StoreError {
        let sql = "SELECT status FROM file_ledger WHERE id = ?1"
        let current = try queryFirst("reading the status of file ledger entry \(id)", sql, [SQLValue(id)]) {
            row throws(StoreError) in try Self.ledgerStatus(row.text(0))
        }
        guard let current else { return .notFound(kind: "file ledger entry", id: id) }
        return .ledgerTransition(id: id, from: current, to: status)
    }

    private static let selectLedger = """
        SELECT id, tenant_id, original_name, size, content_hash, claimed_at, processing_path, status, bulk_change_id,
            finished_at, note
        FROM file_ledger
        """

    private static func ledgerEntry(from row: Row) throws(StoreError) -> LedgerEntry {
        LedgerEntry(
            id: row.int64(0), tenantID: row.int64(1), originalName: row.text(2), size: row.int64(3),
            contentHash: row.text(4), claimedAt: try row.date(5), processingPath: row.text(6),
            status: try ledgerStatus(row.text(7)), bulkChangeID: row.optionalInt64(8),
            finishedAt: try row.optionalDate(9), note: row.optionalText(10))
    }

    private static func ledgerStatus(_ text: String) throws(StoreError) -> LedgerStatus {
        guard let status = LedgerStatus(rawValue: text) else {
            throw .invalidValue(
                field: "file_ledger.status", value: text, expected: "CLAIMED, DONE, DUPLICATE or REJECTED")
        }
        return status
    }
}
