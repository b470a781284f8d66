extension Schema {
    /// Each worker's Control Center calls per provider and minute (minutes since 1970, UTC),
    /// written with its heartbeat, so the status page of any worker charts an account's calls of
    /// every worker over the last hour. Rows older than two hours are removed as new ones come.
    static let version10 = """
        CREATE TABLE call_minute (
            provider TEXT NOT NULL,
            minute INTEGER NOT NULL,
            owner TEXT NOT NULL,
            calls INTEGER NOT NULL CHECK (calls >= 0),
            PRIMARY KEY (provider, minute, owner)
        );
        """
}
