import Foundation

/// The open database, handed to the bodies of `Store.read` and `Store.write`.
///
/// It is usable only inside those bodies, on the store's queue, and so it is not `Sendable`. The
/// repository methods are grouped by table in the `StoreConnection+….swift` files; they reuse one
/// prepared statement per SQL text for the life of the connection.
public final class StoreConnection {
    let database: Database
    private var statements: [String: Statement] = [:]

    /// Creates the parent directories, opens the file, configures the connection and migrates it.
    init(openingAt path: String) throws(StoreError) {
        try Self.prepareFile(at: path)
        do throws(StoreError) {
            database = try Database(path: path)
            try database.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
            // WAL lets readers in other processes carry on while a bulk change writes; it is
            // persistent, and a file system that cannot hold it answers with another mode.
            let mode = try query("switching to WAL", "PRAGMA journal_mode = WAL") { $0.text(0) }.first
            guard mode?.lowercased() == "wal" else {
                throw StoreError.cannotOpen(path: path, reason: "the file system refused WAL mode (\(mode ?? "none"))")
            }
            try database.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", "configuring")
        } catch {
            throw error.asCannotOpen(path: path)
        }
        try Schema.migrate(self)
    }

    /// Creates the parent directories, and refuses an existing file that is not a SQLite database
    /// (SQLite itself would take a file of a few bytes for an empty database and overwrite it).
    private static func prepareFile(at path: String) throws(StoreError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(
                path: path,
                reason: "cannot create the directory \(directory.path): \(directoryProblem(directory, error))")
        }
        guard let file = try? FileHandle(forReadingFrom: url) else { return }  // new, or SQLite will say why
        defer { try? file.close() }
        let header = (try? file.read(upToCount: sqliteHeader.count)) ?? Data()
        guard header.isEmpty || header == sqliteHeader else {
            throw .cannotOpen(path: path, reason: "the file is not a SQLite database")
        }
    }

    /// Why `directory` could not be created, in words a user can act on: Foundation's own text is
    /// often a generic "could not be completed".
    private static func directoryProblem(_ directory: URL, _ error: any Error) -> String {
        var ancestor = directory
        while !FileManager.default.fileExists(atPath: ancestor.path), ancestor.pathComponents.count > 1 {
            ancestor.deleteLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "\(ancestor.path) is a file, not a directory"
        }
        if !FileManager.default.isWritableFile(atPath: ancestor.path) {
            return "\(ancestor.path) is not writable"
        }
        return (error as NSError).localizedDescription
    }

    /// The first bytes of every SQLite 3 database file.
    private static let sqliteHeader = Data("SQLite format 3\u{0}".utf8)

    /// How long a statement waits for another process's lock before failing.
    static let busyTimeoutMilliseconds: Int32 = 5000

    /// Runs SQL statements that return no rows, for maintenance and tests.
    ///
    /// - Throws: `StoreError` naming the SQL when SQLite refuses it.
    public func execute(_ sql: String) throws(StoreError) {
        try database.execute(sql, "executing SQL")
    }

    /// The current value of a pragma such as `journal_mode`, `foreign_keys` or `user_version`.
    public func pragma(_ name: String) throws(StoreError) -> String? {
        guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else {
            throw .invalidValue(field: "pragma name", value: name, expected: "letters and underscores")
        }
        return try query("reading PRAGMA \(name)", "PRAGMA \(name)") { $0.optionalText(0) }.first ?? nil
    }

    /// Runs `body` between BEGIN IMMEDIATE and COMMIT, rolling back when it throws.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try database.execute("BEGIN IMMEDIATE", "starting a write transaction")
        do {
            let result = try body()
            try database.execute("COMMIT", "committing")
            return result
        } catch {
            // The rollback's own failure would hide the first one, which says what went wrong.
            try? database.execute("ROLLBACK", "rolling back")
            throw error
        }
    }

    /// The cached prepared statement for `sql`, compiled on first use.
    private func statement(_ sql: String) throws(StoreError) -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try Statement(sql, in: database, persistent: true)
        statements[sql] = statement
        return statement
    }

    /// Runs an INSERT, UPDATE or DELETE and returns how many rows it changed.
    @discardableResult
    func run(_ operation: @autoclosure () -> String, _ sql: String, _ values: [SQLValue] = []) throws(StoreError)
        -> Int
    {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values, operation())
        while try statement.step(operation()) {}
        return database.changes
    }

    /// Runs an INSERT and returns the new row's id.
    func insert(_ operation: @autoclosure () -> String, _ sql: String, _ values: [SQLValue]) throws(StoreError)
        -> Int64
    {
        try run(operation(), sql, values)
        return database.lastInsertRowID
    }

    /// Runs a query and maps every row; `cached: false` compiles a statement used only this once.
    func query<T>(
        _ operation: @autoclosure () -> String, _ sql: String, _ values: [SQLValue] = [], cached: Bool = true,
        _ map: (Row) throws(StoreError) -> T
    ) throws(StoreError) -> [T] {
        let statement = cached ? try statement(sql) : try Statement(sql, in: database, persistent: false)
        defer { statement.reset() }
        try statement.bind(values, operation())
        var rows: [T] = []
        while try statement.step(operation()) {
            rows.append(try map(statement.row))
        }
        return rows
    }

    /// Runs a query and maps its first row, if any.
    func queryFirst<T>(
        _ operation: @autoclosure () -> String, _ sql: String, _ values: [SQLValue] = [],
        _ map: (Row) throws(StoreError) -> T
    ) throws(StoreError) -> T? {
        let statement = try statement(sql)
        defer { statement.reset() }
        try statement.bind(values, operation())
        return try statement.step(operation()) ? try map(statement.row) : nil
    }
}

extension StoreError {
    /// This failure as one of opening the file at `path`, keeping SQLite's message as the reason.
    fileprivate func asCannotOpen(path: String) -> StoreError {
        switch self {
        case .cannotOpen: return self
        case .sqlite(_, _, _, let message), .constraintViolation(_, _, let message):
            return .cannotOpen(path: path, reason: message)
        default: return .cannotOpen(path: path, reason: description)
        }
    }
}
