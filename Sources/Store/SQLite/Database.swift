internal import CSQLite

/// One SQLite connection handle, closed in `deinit`.
///
/// Not thread-safe: `Store` touches it only from its serial queue. Every result code SQLite
/// returns goes through `check(_:_:sql:)`, which turns failures into a `StoreError` naming the
/// operation, the SQL and SQLite's own message.
final class Database {
    let path: String
    let handle: OpaquePointer

    /// Opens (creating when missing) the database file at `path` with extended result codes.
    init(path: String) throws(StoreError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard let handle else { throw .cannotOpen(path: path, reason: "SQLite could not allocate a connection") }
        // SQLite hands out a handle even when opening fails; from here `deinit` closes it either way.
        self.handle = handle
        self.path = path
        try check(code, "opening the database")
        try check(sqlite3_extended_result_codes(handle, 1), "enabling extended result codes")
    }

    deinit {
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

    /// Runs SQL text that may hold several statements and returns no rows (migrations, pragmas).
    func execute(_ sql: String, _ operation: @autoclosure () -> String) throws(StoreError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), operation(), sql: sql)
    }

    /// Waits up to `milliseconds` for another connection's lock before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) throws(StoreError) {
        try check(sqlite3_busy_timeout(handle, milliseconds), "setting the busy timeout")
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the most recent successful INSERT.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// SQLite's description of the most recent failure on this connection.
    private var message: String { String(cString: sqlite3_errmsg(handle)) }
}
