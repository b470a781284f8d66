/// PostgreSQL's side of the migrations: the version in a one-row table `bulkdrop_schema`, steps
/// translated by `PostgresSQL.schema` (or a step's own PostgreSQL text), and foreign keys that are
/// enforced throughout, so there is nothing to pause or check afterwards.
extension PostgresEngine {
    func schemaVersion() throws(StoreError) -> Int {
        guard try firstInt("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'bulkdrop_schema'") == 1 else { return 0 }
        return try firstInt("SELECT COALESCE(MAX(version), 0) FROM bulkdrop_schema")
    }

    /// The first column of the first row `sql` answers, as a number.
    private func firstInt(_ sql: String) throws(StoreError) -> Int {
        var value = 0
        _ = try run(sql, [], cached: false, { "reading the schema version" }) { row in
            value = row.int(0)
            return false
        }
        return value
    }

    func withForeignKeysPaused<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try body()
    }

    func apply(_ migration: Migration) throws(StoreError) {
        try execute(
            migration.postgres ?? PostgresSQL.schema(migration.sql), "applying schema migration \(migration.version)")
        try execute(
            """
            CREATE TABLE IF NOT EXISTS bulkdrop_schema (version BIGINT NOT NULL);
            DELETE FROM bulkdrop_schema;
            INSERT INTO bulkdrop_schema (version) VALUES (\(migration.version))
            """, "recording schema version \(migration.version)")
    }

    func foreignKeyProblems() throws(StoreError) -> [String] { [] }
}
