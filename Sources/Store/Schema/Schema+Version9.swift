extension Schema {
    /// Several workers on one database share each Control Center account's calls: a token bucket
    /// per account (`baseURL username`), refilled by time. `refilled_at` is in seconds since 1970.
    static let version9 = """
        CREATE TABLE call_budget (
            account TEXT PRIMARY KEY,
            tokens REAL NOT NULL,
            refilled_at REAL NOT NULL
        );
        """
}
