import Foundation

extension StoreConnection {
    /// Whether another bulk change of the tenant has its outbox files under `stem`.
    public func resultStemTaken(tenantID: Int64, stem: String) throws(StoreError) -> Bool {
        let sql = "SELECT 1 FROM bulk_change WHERE tenant_id = ?1 AND result_stem = ?2 LIMIT 1"
        return try queryFirst("looking for result stem \(stem)", sql, [SQLValue(tenantID), SQLValue(stem)]) { _ in
            true
        } ?? false
    }

    /// Records the name the bulk change's outbox files carry.
    ///
    /// - Throws: `StoreError.constraintViolation` when another bulk change of the tenant has it,
    ///   `.notFound` for an unknown id.
    public func setResultStem(bulkChangeID id: Int64, stem: String) throws(StoreError) {
        let sql = "UPDATE bulk_change SET result_stem = ?2 WHERE id = ?1"
        guard try run("naming the result files of bulk change \(id)", sql, [SQLValue(id), SQLValue(stem)]) == 1 else {
            throw .notFound(kind: "bulk change", id: id)
        }
    }

    /// Adds a warning to the bulk change's summary (for example that its file changed after it was
    /// claimed); a warning it has already is not added twice.
    ///
    /// - Throws: `StoreError.notFound` for an unknown id.
    public func addBulkChangeWarning(id: Int64, _ warning: String) throws(StoreError) {
        guard let change = try bulkChange(id: id) else { throw .notFound(kind: "bulk change", id: id) }
        guard !change.warnings.contains(warning) else { return }
        let sql = "UPDATE bulk_change SET warnings = ?2 WHERE id = ?1"
        try run(
            "adding a warning to bulk change \(id)", sql,
            [SQLValue(id), SQLValue(TextList.text(change.warnings + [warning]))])
    }
}
