internal import CLibPQ
internal import CSQLite
import CivilDate
import Foundation

/// Column access on the row a statement is positioned on; valid until the next row or the end of
/// the statement. SQLite hands out typed columns; PostgreSQL's rows arrive as text (libpq's text
/// format) and are parsed here, so repositories read both the same way.
struct Row {
    /// Where the columns are.
    enum Source {
        /// A stepped SQLite statement.
        case sqlite(OpaquePointer)
        /// Row `row` of a libpq result.
        case postgres(OpaquePointer, row: Int32)
    }

    let source: Source

    func isNull(_ column: Int32) -> Bool {
        switch source {
        case .sqlite(let statement): sqlite3_column_type(statement, column) == SQLITE_NULL
        case .postgres(let result, let row): PQgetisnull(result, row, column) != 0
        }
    }

    func int64(_ column: Int32) -> Int64 {
        switch source {
        case .sqlite(let statement): return sqlite3_column_int64(statement, column)
        case .postgres:
            // PostgreSQL answers a comparison or EXISTS as a boolean, written t or f.
            guard let text = optionalText(column) else { return 0 }
            return Int64(text) ?? (text == "t" ? 1 : 0)
        }
    }

    func int(_ column: Int32) -> Int { Int(int64(column)) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func double(_ column: Int32) -> Double {
        switch source {
        case .sqlite(let statement): sqlite3_column_double(statement, column)
        case .postgres: optionalText(column).flatMap(Double.init) ?? 0
        }
    }

    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    func bool(_ column: Int32) -> Bool { int64(column) != 0 }

    func optionalText(_ column: Int32) -> String? {
        switch source {
        case .sqlite(let statement):
            guard let bytes = sqlite3_column_text(statement, column) else { return nil }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        case .postgres(let result, let row):
            guard PQgetisnull(result, row, column) == 0, let value = PQgetvalue(result, row, column) else { return nil }
            let count = Int(PQgetlength(result, row, column))
            return value.withMemoryRebound(to: UInt8.self, capacity: count) {
                String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
            }
        }
    }

    func text(_ column: Int32) -> String { optionalText(column) ?? "" }

    /// The column as a value to bind elsewhere, of the type the engine stored (PostgreSQL's arrive
    /// as text, which a statement takes for any column type).
    func value(_ column: Int32) -> SQLValue {
        switch source {
        case .sqlite(let statement):
            switch sqlite3_column_type(statement, column) {
            case SQLITE_NULL: return .null
            case SQLITE_INTEGER: return .integer(int64(column))
            case SQLITE_FLOAT: return .real(double(column))
            default: return .text(text(column))
            }
        case .postgres: return SQLValue(optionalText(column))
        }
    }

    /// A timestamp column; text that is not one of ours means the database was edited by hand.
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
        let name: String? =
            switch source {
            case .sqlite(let statement): sqlite3_column_name(statement, column).map { String(cString: $0) }
            case .postgres(let result, _): PQfname(result, column).map { String(cString: $0) }
            }
        return name ?? "column \(column)"
    }
}
