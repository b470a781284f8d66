/// A database engine the store runs its SQL on: SQLite, embedded in the process, or PostgreSQL,
/// shared by several workers.
///
/// The repositories write one SQL text for both, in the subset both understand (`?NNN`
/// parameters, `ON CONFLICT … DO UPDATE`, partial indexes); an engine turns it into its own where
/// they differ (`PostgresSQL`). An engine is not thread-safe: `Store` uses it only from its serial
/// queue.
protocol SQLEngine: AnyObject {
    /// Where the database is, for messages: a file path, or a URL without its password.
    var location: String { get }

    /// Rows a load inserts with one statement: many where a statement is a round trip to a server,
    /// one where a prepared statement per row costs nothing more (SQLite in the process).
    var rowsPerInsert: Int { get }

    /// Runs SQL text that may hold several statements and returns no rows (migrations, maintenance).
    func execute(_ sql: String, _ operation: @autoclosure () -> String) throws(StoreError)

    /// Runs one statement with `values` bound to its parameters, hands each result row to `each`
    /// until it returns false, and returns how many rows an INSERT, UPDATE or DELETE changed.
    /// `cached` keeps the compiled statement for the next call with the same text.
    func run(
        _ sql: String, _ values: [SQLValue], cached: Bool, _ operation: () -> String,
        each: (Row) throws(StoreError) -> Bool
    ) throws(StoreError) -> Int

    /// Runs an INSERT into a table with an `id` key and returns the new row's id.
    func insert(_ sql: String, _ values: [SQLValue], _ operation: () -> String) throws(StoreError) -> Int64

    /// Starts a write transaction that no other writer, in this process or another, runs beside.
    func beginWrite() throws(StoreError)

    /// Ends the transaction `beginWrite` started, keeping its changes (`commit: true`) or not.
    func endWrite(commit: Bool) throws(StoreError)

    /// The schema migrations applied so far (0 for a new database).
    func schemaVersion() throws(StoreError) -> Int

    /// Runs `body`, which applies migrations, with foreign keys not enforced where the engine needs
    /// that to rebuild a table (SQLite); `foreignKeyProblems` checks them before `body` commits.
    func withForeignKeysPaused<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T

    /// Applies one migration step and records its version, inside the caller's write transaction.
    func apply(_ migration: Migration) throws(StoreError)

    /// Foreign keys that point nowhere, one line each (none where the engine always enforces them).
    func foreignKeyProblems() throws(StoreError) -> [String]
}
