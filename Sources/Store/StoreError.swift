/// Everything the store can fail with; each description says what went wrong and how to fix it.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The database file could not be created or opened, or it is not a SQLite database; or the
    /// PostgreSQL server at the URL could not be reached or refused the login.
    case cannotOpen(path: String, reason: String)
    /// The file's schema version is newer than this program knows.
    case newerSchema(path: String, found: Int, supported: Int)
    /// A UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint refused a change.
    case constraintViolation(operation: String, sql: String?, message: String)
    /// Any other SQLite failure; `code` is SQLite's extended result code.
    case sqlite(operation: String, sql: String?, code: Int, message: String)
    /// Any other PostgreSQL failure; `state` is its SQLSTATE code.
    case postgres(operation: String, sql: String?, state: String, message: String)
    /// A bulk change detail was asked to move to a status its current one does not allow.
    case detailTransition(detailID: Int64, from: String?, to: String)
    /// A file ledger entry was asked to close when it is not CLAIMED, or to close as CLAIMED.
    case ledgerTransition(id: Int64, from: LedgerStatus, to: LedgerStatus)
    /// A file ledger entry was asked to close while its bulk change still has rows without an outcome.
    case ledgerHasOpenRows(id: Int64, open: Int)
    /// No row of that kind has that id.
    case notFound(kind: String, id: Int64)
    /// A value that does not fit its field (a number, a date, a status).
    case invalidValue(field: String, value: String, expected: String)
    /// A queued rate plan change was already applied.
    case alreadyApplied(queueID: Int64)
    /// The store was closed before the call.
    case closed(path: String)
    /// A `read` or `write` body threw an error of another type; its description is kept.
    case failed(String)

    /// What went wrong and how to fix it, in one line.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason) where path.hasPrefix("postgres"):
            return "cannot open the database at \(path): \(reason); check the URL, that the server runs and "
                + "takes connections from here, and the user and its password"
        case .cannotOpen(let path, let reason):
            return "cannot open the database at \(path): \(reason); check that the path is right, that its "
                + "directory can be created and written to, and that the file is a BulkDrop database"
        case .newerSchema(let path, let found, let supported):
            return "the database at \(path) has schema version \(found), but this program knows versions up to "
                + "\(supported): it was written by a newer BulkDrop; upgrade BulkDrop or use another database file"
        case .constraintViolation(let operation, let sql, let message):
            return "\(operation): \(message)\(Self.constraintHint(message))\(Self.context(sql))"
        case .sqlite(let operation, let sql, let code, let message):
            return "\(operation): \(message) (SQLite code \(code))\(Self.hint(code))\(Self.context(sql))"
        case .postgres(let operation, let sql, let state, let message):
            return
                "\(operation): \(message) (PostgreSQL SQLSTATE \(state))\(Self.postgresHint(state))\(Self.context(sql))"
        case .detailTransition(let detailID, let from, let to):
            let current = from.map { "it is \($0)" } ?? "it does not exist"
            return "bulk change detail \(detailID) cannot move to \(to): \(current); a detail goes PENDING → "
                + "PROCESSING → PROCESSED, SCHEDULED, UNCHANGED, FAILED or REJECTED once, and only SCHEDULED "
                + "may later become PROCESSED or FAILED"
        case .ledgerTransition(let id, let from, let to):
            return "file ledger entry \(id) cannot move to \(to.rawValue): it is \(from.rawValue); an entry goes "
                + "CLAIMED → DONE, DUPLICATE or REJECTED once"
        case .ledgerHasOpenRows(let id, let open):
            return "file ledger entry \(id) cannot be closed: \(open) rows of its bulk change have no outcome yet; "
                + "the file is resumed until every row has one"
        case .notFound(let kind, let id):
            return "no \(kind) with id \(id) in the database; it may have been created in another database file"
        case .invalidValue(let field, let value, let expected):
            return "invalid value '\(value)' for \(field): expected \(expected)"
        case .alreadyApplied(let queueID):
            return "queued rate plan change \(queueID) was already applied; each queued change is applied once"
        case .closed(let path):
            return "the database at \(path) is closed; open the store again before using it"
        case .failed(let reason):
            return "a database operation failed: \(reason)"
        }
    }

    /// Runs `body`, passing a `StoreError` through and wrapping any other error in `failed`.
    static func wrapping<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw .failed(String(describing: error))
        }
    }

    private static func context(_ sql: String?) -> String {
        sql.map { " [SQL: \($0.split(whereSeparator: \.isWhitespace).joined(separator: " "))]" } ?? ""
    }

    private static func constraintHint(_ message: String) -> String {
        if message.hasPrefix("UNIQUE") {
            return " (a row with the same key already exists)"
        } else if message.hasPrefix("FOREIGN KEY") {
            return " (it refers to a tenant, service provider, device, bulk change or detail that does not exist)"
        } else if message.hasPrefix("NOT NULL") {
            return " (a required value is missing)"
        } else if message.hasPrefix("CHECK") {
            return " (a value is outside the allowed set)"
        }
        return ""
    }

    private static func postgresHint(_ state: String) -> String {
        switch state {
        case _ where state.hasPrefix("08"):
            return
                "; the database server cannot be reached: check that it runs and that the URL's host and port are right"
        case _ where state.hasPrefix("28"):
            return "; the server refused the login: check the user in the URL and the password variable"
        case "3D000": return "; the database does not exist: create it (createdb) or fix the URL"
        case "42501": return "; the user lacks a privilege: grant it on the database"
        case "53100": return "; the database server's disk is full: free some space"
        case "40001", "40P01": return "; another worker's transaction got in the way: the work is retried"
        case _ where state.hasPrefix("57P"): return "; the database server is shutting down or restarting"
        default: return ""
        }
    }

    private static func hint(_ code: Int) -> String {
        switch code & 0xFF {
        case 5, 6: return "; another process holds the database: wait for it to finish or stop it"
        case 8: return "; the database file or its directory is read-only: fix the permissions"
        case 11, 26: return "; the file is damaged or not a BulkDrop database: restore it from a backup"
        case 13: return "; the disk is full: free some space"
        default: return ""
        }
    }
}
