extension Schema {
    /// Several workers on one database:
    ///
    /// - they share each Control Center account's calls: a token bucket per account
    ///   (`baseURL username`), refilled by time; `refilled_at` is in seconds since 1970;
    /// - each `bulkdrop run` beats a heartbeat while it lives, so `status` shows the workers and
    ///   what each holds.
    static let version9 = """
        CREATE TABLE call_budget (
            account TEXT PRIMARY KEY,
            tokens REAL NOT NULL,
            refilled_at REAL NOT NULL
        );
        CREATE TABLE worker (
            owner TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL
        );
        """
}
