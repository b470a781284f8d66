internal import CSQLite
import CivilDate
import Foundation

/// A value bound to a statement parameter.
enum SQLValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    init(_ value: Int) { self = .integer(Int64(value)) }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    init(_ value: Bool) { self = .integer(value ? 1 : 0) }
    init(_ value: Date?) { self = value.map { .text(UTCTimestamp.text($0)) } ?? .null }
}

/// One prepared statement, finalized in `deinit`.
///
/// It keeps its `Database` alive, so the connection is never closed under a live statement.
final class Statement {
    let sql: String
    private let database: Database
    private let handle: OpaquePointer

    /// Compiles `sql`; `persistent` tells SQLite the statement will be reused many times.
    init(_ sql: String, in database: Database, persistent: Bool) throws(StoreError) {
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
    var row: Row { Row(handle: handle) }
}

/// Column access on the row a statement is positioned on; valid until the next step or reset.
struct Row {
    fileprivate let handle: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    func bool(_ column: Int32) -> Bool { int64(column) != 0 }

    func optionalText(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func text(_ column: Int32) -> String { optionalText(column) ?? "" }

    /// A timestamp column; text that is not one of ours means the file was edited by hand.
    func optionalDate(_ column: Int32) throws(StoreError) -> Date? {
        guard let text = optionalText(column) else { return nil }
        guard let date = UTCTimestamp.date(from: text) else {
            throw .invalidValue(field: name(column), value: text, expected: "an ISO-8601 UTC timestamp")
        }
        return date
    }

    /// A timestamp column declared NOT NULL.
    func date(_ column: Int32) throws(StoreError) -> Date {
        guard let date = try optionalDate(column) else {
            throw .invalidValue(field: name(column), value: "NULL", expected: "an ISO-8601 UTC timestamp")
        }
        return date
    }

    private func name(_ column: Int32) -> String {
        sqlite3_column_name(handle, column).map { String(cString: $0) } ?? "column \(column)"
    }
}
