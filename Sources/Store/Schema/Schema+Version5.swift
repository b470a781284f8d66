extension Schema {
    /// Leases and result names:
    ///
    /// - `lease` says which process works an item (a claimed file, a bulk change, a notification)
    ///   and until when; its owner renews it, and an expired lease may be taken over by another
    ///   process, so a second service or `process` beside `run` never does the same work twice and a
    ///   dead owner's work is taken up;
    /// - a claimed file's processing path is unique, so two processes cannot both record the claim
    ///   of one file;
    /// - `result_stem` is the name a bulk change's result files were given, so the files of one drop
    ///   never replace another's and are written again under the same name.
    static let version5 = """
        CREATE TABLE lease (
            kind TEXT NOT NULL,
            item_id INTEGER NOT NULL,
            owner TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (kind, item_id)
        );
        CREATE INDEX lease_owner ON lease (owner);
        CREATE UNIQUE INDEX file_ledger_claimed_path ON file_ledger (processing_path) WHERE status = 'CLAIMED';
        ALTER TABLE bulk_change ADD COLUMN result_stem TEXT;
        CREATE UNIQUE INDEX bulk_change_result_stem ON bulk_change (tenant_id, result_stem)
            WHERE result_stem IS NOT NULL;
        """
}
