/// SQLite's side of the migrations: the version in `PRAGMA user_version`, and foreign keys paused
/// while a step rebuilds a table (SQLite's way to change a constraint), checked before commit.
extension SQLiteEngine {
    func schemaVersion() throws(StoreError) -> Int {
        Int(try pragma("user_version") ?? "") ?? 0
    }

    func withForeignKeysPaused<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("PRAGMA foreign_keys = OFF", "pausing foreign keys for the migration")
        let result = Result { () throws(StoreError) -> T in try body() }
        try execute("PRAGMA foreign_keys = ON", "enforcing foreign keys again")
        return try result.get()
    }

    func apply(_ migration: Migration) throws(StoreError) {
        try execute(migration.sql, "applying schema migration \(migration.version)")
        try execute("PRAGMA user_version = \(migration.version)", "recording schema version \(migration.version)")
    }

    func foreignKeyProblems() throws(StoreError) -> [String] {
        var problems: [String] = []
        _ = try run("PRAGMA foreign_key_check", [], cached: false, { "checking foreign keys after the migration" }) {
            problems.append("\($0.text(0)) row \($0.int64(1)) → \($0.text(2))")
            return true
        }
        return problems
    }

    /// The current value of a pragma such as `journal_mode`, `foreign_keys` or `user_version`.
    func pragma(_ name: String) throws(StoreError) -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else {
            throw .invalidValue(field: "pragma name", value: name, expected: "letters and underscores")
        }
        return try firstText("PRAGMA \(name)", "reading PRAGMA \(name)")
    }

    /// The first column of the first row `sql` answers, if any.
    func firstText(_ sql: String, _ operation: String) throws(StoreError) -> String? {
        var value: String?
        _ = try run(sql, [], cached: true, { operation }) {
            value = $0.optionalText(0)
            return false
        }
        return value
    }
}
