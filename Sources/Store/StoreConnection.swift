/// The open database, handed to the bodies of `Store.read` and `Store.write`.
///
/// It is usable only inside those bodies, on the store's queue, and so it is not `Sendable`. The
/// repository methods are grouped by table in the `StoreConnection+….swift` files; they write one
/// SQL text for both engines (`SQLEngine`), and reuse one prepared statement per SQL text for the
/// life of the connection.
public final class StoreConnection {
    let engine: any SQLEngine

    /// Takes over `engine` and migrates its database to the newest schema.
    init(engine: any SQLEngine) throws(StoreError) {
        self.engine = engine
        try Schema.migrate(self)
    }

    /// Runs SQL statements that return no rows, for maintenance and tests.
    ///
    /// - Throws: `StoreError` naming the SQL when the database refuses it.
    public func execute(_ sql: String) throws(StoreError) {
        try engine.execute(sql, "executing SQL")
    }

    /// The current value of a SQLite pragma such as `journal_mode`, `foreign_keys` or
    /// `user_version`; nil on PostgreSQL, which has none.
    public func pragma(_ name: String) throws(StoreError) -> String? {
        try (engine as? SQLiteEngine)?.pragma(name)
    }

    /// Runs `body` in a write transaction that no other writer runs beside, rolling back when it throws.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try engine.beginWrite()
        do {
            let result = try body()
            try engine.endWrite(commit: true)
            return result
        } catch {
            // The rollback's own failure would hide the first one, which says what went wrong.
            try? engine.endWrite(commit: false)
            throw error
        }
    }

    /// Runs an INSERT, UPDATE or DELETE and returns how many rows it changed; `cached: false`
    /// compiles a statement used only this once.
    @discardableResult
    func run(
        _ operation: @autoclosure () -> String, _ sql: String, _ values: [SQLValue] = [], cached: Bool = true
    ) throws(StoreError) -> Int {
        try engine.run(sql, values, cached: cached, operation) { _ in true }
    }

    /// Runs an INSERT into a table with an `id` key and returns the new row's id.
    func insert(_ operation: @autoclosure () -> String, _ sql: String, _ values: [SQLValue]) throws(StoreError)
        -> Int64
    {
        try engine.insert(sql, values, operation)
    }

    /// Runs a query and maps every row; `cached: false` compiles a statement used only this once.
    func query<T>(
        _ operation: @autoclosure () -> String, _ sql: String, _ values: [SQLValue] = [], cached: Bool = true,
        _ map: (Row) throws(StoreError) -> T
    ) throws(StoreError) -> [T] {
        var rows: [T] = []
        _ = try engine.run(sql, values, cached: cached, operation) { row throws(StoreError) in
            rows.append(try map(row))
            return true
        }
        return rows
    }

    /// Runs a query and maps its first row, if any.
    func queryFirst<T>(
        _ operation: @autoclosure () -> String, _ sql: String, _ values: [SQLValue] = [],
        _ map: (Row) throws(StoreError) -> T
    ) throws(StoreError) -> T? {
        var first: T?
        _ = try engine.run(sql, values, cached: true, operation) { row throws(StoreError) in
            first = try map(row)
            return false
        }
        return first
    }
}
