internal import CSQLite

/// One prepared statement, finalized in `deinit`.
///
/// Its engine owns it (or the one call that compiled it), and finalizes it before closing the
/// connection, so the engine is referenced without being kept alive.
final class SQLiteStatement {
    let sql: String
    private unowned let database: SQLiteEngine
    private let handle: OpaquePointer

    /// Compiles `sql`; `persistent` tells SQLite the statement will be reused many times.
    init(_ sql: String, in database: SQLiteEngine, persistent: Bool) throws(StoreError) {
        var handle: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        try database.check(sqlite3_prepare_v3(database.handle, sql, -1, flags, &handle, nil), "preparing", sql: sql)
        guard let handle else { throw .sqlite(operation: "preparing", sql: sql, code: 0, message: "no statement") }
        self.sql = sql
        self.database = database
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds `values` to parameters 1, 2, …
    func bind(_ values: [SQLValue], _ operation: @autoclosure () -> String) throws(StoreError) {
        reset()
        try database.check(sqlite3_clear_bindings(handle), operation(), sql: sql)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .real(let number): code = sqlite3_bind_double(handle, index, number)
            case .text(let text):
                code = sqlite3_bind_text(handle, index, text, Int32(text.utf8.count), csqlite_transient())
            }
            try database.check(code, operation(), sql: sql)
        }
    }

    /// Advances to the next row; false once the statement is done.
    func step(_ operation: @autoclosure () -> String) throws(StoreError) -> Bool {
        try database.check(sqlite3_step(handle), operation(), sql: sql) & 0xFF == SQLITE_ROW
    }

    /// Ends the current execution so the statement releases its read snapshot.
    func reset() {
        // The code returned repeats the last step's failure, which `step` has already reported.
        _ = sqlite3_reset(handle)
    }

    /// The current row's columns.
    var row: Row { Row(source: .sqlite(handle)) }
}
