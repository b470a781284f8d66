internal import CSQLite

/// One SQLite connection handle, closed in `deinit`: the embedded engine, one file on local disk.
///
/// Every result code SQLite returns goes through `check(_:_:sql:)`, which turns failures into a
/// `StoreError` naming the operation, the SQL and SQLite's own message. Statements that run
/// again are compiled once and kept for the life of the connection.
final class SQLiteEngine: SQLEngine {
    let location: String
    let rowsPerInsert = 1
    let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens (creating when missing) the database file at `path` with extended result codes.
    init(path: String) throws(StoreError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard let handle else { throw .cannotOpen(path: path, reason: "SQLite could not allocate a connection") }
        // SQLite hands out a handle even when opening fails; from here `deinit` closes it either way.
        self.handle = handle
        self.location = path
        try check(code, "opening the database")
        try check(sqlite3_extended_result_codes(handle, 1), "enabling extended result codes")
    }

    deinit {
        statements = [:]
        // close_v2 defers the close until the last statement is finalized; statements also keep
        // this object alive, so by now there are none left.
        sqlite3_close_v2(handle)
    }

    /// Passes success codes through and throws a `StoreError` with context for every other one.
    @discardableResult
    func check(_ code: Int32, _ operation: @autoclosure () -> String, sql: String? = nil) throws(StoreError) -> Int32 {
        switch code & 0xFF {
        case SQLITE_OK, SQLITE_ROW, SQLITE_DONE:
            return code
        case SQLITE_CONSTRAINT:
            throw .constraintViolation(operation: operation(), sql: sql, message: message)
        default:
            throw .sqlite(operation: operation(), sql: sql, code: Int(code), message: message)
        }
    }

    func execute(_ sql: String, _ operation: @autoclosure () -> String) throws(StoreError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), operation(), sql: sql)
    }

    func run(
        _ sql: String, _ values: [SQLValue], cached: Bool, _ operation: () -> String,
        each: (Row) throws(StoreError) -> Bool
    ) throws(StoreError) -> Int {
        let statement = cached ? try statement(sql) : try SQLiteStatement(sql, in: self, persistent: false)
        defer { statement.reset() }
        try statement.bind(values, operation())
        while try statement.step(operation()), try each(statement.row) {}
        return Int(sqlite3_changes(handle))
    }

    func insert(_ sql: String, _ values: [SQLValue], _ operation: () -> String) throws(StoreError) -> Int64 {
        _ = try run(sql, values, cached: true, operation) { _ in true }
        return sqlite3_last_insert_rowid(handle)
    }

    /// BEGIN IMMEDIATE takes SQLite's one write lock at once, so two writers never interleave.
    func beginWrite() throws(StoreError) {
        try execute("BEGIN IMMEDIATE", "starting a write transaction")
    }

    func endWrite(commit: Bool) throws(StoreError) {
        try execute(commit ? "COMMIT" : "ROLLBACK", commit ? "committing" : "rolling back")
    }

    /// Waits up to `milliseconds` for another connection's lock before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) throws(StoreError) {
        try check(sqlite3_busy_timeout(handle, milliseconds), "setting the busy timeout")
    }

    /// The cached prepared statement for `sql`, compiled on first use.
    private func statement(_ sql: String) throws(StoreError) -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try SQLiteStatement(sql, in: self, persistent: true)
        statements[sql] = statement
        return statement
    }

    /// SQLite's description of the most recent failure on this connection.
    private var message: String { String(cString: sqlite3_errmsg(handle)) }
}
