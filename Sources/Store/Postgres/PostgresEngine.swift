internal import CLibPQ
import Foundation

/// One libpq connection to a PostgreSQL database shared by several workers, closed in `deinit`.
///
/// Statements are sent with their values apart (never spliced into the SQL text), as text, and
/// the server infers each parameter's type from where it stands. Statements that run again are
/// prepared once per connection. A connection the server dropped is reset before the next call.
final class PostgresEngine: SQLEngine {
    let location: String
    let rowsPerInsert = 200
    private let connection: OpaquePointer
    /// Prepared statement names by SQL text, for this session of the connection.
    private var prepared: [String: String] = [:]
    /// Between `beginWrite` and `endWrite`: a dropped connection then loses the transaction's work.
    private var inTransaction = false

    /// The advisory lock every write transaction holds until it ends, so writers in all workers
    /// take turns as SQLite's do (a number of our own: "BulkDrop" in ASCII).
    static let writeLockKey: Int64 = 0x4275_6C6B_4472_6F70

    private init(location: String, connection: OpaquePointer) {
        self.location = location
        self.connection = connection
    }

    deinit {
        PQfinish(connection)
    }

    /// Connects to `address`, in UTF-8 and UTC.
    ///
    /// - Throws: `StoreError.cannotOpen` with libpq's reason when the server cannot be reached or
    ///   refuses the login.
    static func open(_ address: PostgresAddress) throws(StoreError) -> PostgresEngine {
        var settings = [
            ("dbname", address.url), ("client_encoding", "UTF8"), ("application_name", "bulkdrop"),
            ("connect_timeout", "10"),
        ]
        if let password = address.password { settings.append(("password", password)) }
        let keywords = settings.map { strdup($0.0) } + [nil]
        let values = settings.map { strdup($0.1) } + [nil]
        defer { (keywords + values).forEach { free($0) } }
        let connection = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 1)
            }
        }
        guard let connection else {
            throw .cannotOpen(path: address.url, reason: "libpq could not allocate a connection")
        }
        let engine = PostgresEngine(location: address.url, connection: connection)
        guard PQstatus(connection) == CONNECTION_OK else {
            throw .cannotOpen(path: address.url, reason: engine.connectionMessage)
        }
        // Notices ("relation already exists, skipping") would go to standard error as they come.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // A prepared statement's generic plan is made once, maybe while a table is still empty (a
        // sequential scan), and kept after a load of a million rows; a plan per execution follows
        // the table as it grows.
        try engine.execute("SET plan_cache_mode = force_custom_plan", "configuring the session")
        return engine
    }

    func execute(_ sql: String, _ operation: @autoclosure () -> String) throws(StoreError) {
        try onLiveConnection(operation) { () throws(StoreError) in
            let result = PQexec(connection, PostgresSQL.statement(sql))
            defer { PQclear(result) }
            try check(result, operation(), sql: sql)
        }
    }

    func run(
        _ sql: String, _ values: [SQLValue], cached: Bool, _ operation: () -> String,
        each: (Row) throws(StoreError) -> Bool
    ) throws(StoreError) -> Int {
        try onLiveConnection(operation) { () throws(StoreError) -> Int in
            try runOnce(sql, values, cached: cached, operation, each: each)
        }
    }

    /// `run` on the connection as it is.
    private func runOnce(
        _ sql: String, _ values: [SQLValue], cached: Bool, _ operation: () -> String,
        each: (Row) throws(StoreError) -> Bool
    ) throws(StoreError) -> Int {
        let name = cached ? try preparedName(sql, operation) : nil
        let texts = values.map(Self.text)
        defer { texts.forEach { free($0) } }
        let result = texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { parameters in
            if let name {
                PQexecPrepared(connection, name, Int32(texts.count), parameters.baseAddress, nil, nil, 0)
            } else {
                PQexecParams(
                    connection, PostgresSQL.statement(sql), Int32(texts.count), nil, parameters.baseAddress, nil, nil,
                    0)
            }
        }
        defer { PQclear(result) }
        try check(result, operation(), sql: sql)
        if let result {
            for row in 0..<PQntuples(result) {
                guard try each(Row(source: .postgres(result, row: row))) else { break }
            }
        }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    func insert(_ sql: String, _ values: [SQLValue], _ operation: () -> String) throws(StoreError) -> Int64 {
        var id: Int64 = 0
        _ = try run(sql + " RETURNING id", values, cached: true, operation) { row in
            id = row.int64(0)
            return false
        }
        return id
    }

    func beginWrite() throws(StoreError) {
        try execute("BEGIN; SELECT pg_advisory_xact_lock(\(Self.writeLockKey))", "starting a write transaction")
        inTransaction = true
    }

    func endWrite(commit: Bool) throws(StoreError) {
        inTransaction = false
        try execute(commit ? "COMMIT" : "ROLLBACK", commit ? "committing" : "rolling back")
    }

    /// The name of the statement prepared for `sql` on this connection, preparing it on first use.
    private func preparedName(_ sql: String, _ operation: () -> String) throws(StoreError) -> String {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count + 1)"
        let result = PQprepare(connection, name, PostgresSQL.statement(sql), 0, nil)
        defer { PQclear(result) }
        try check(result, "preparing: " + operation(), sql: sql)
        prepared[sql] = name
        return name
    }

    /// A value as libpq's text format takes it (nil for NULL); the caller frees it.
    private static func text(_ value: SQLValue) -> UnsafeMutablePointer<CChar>? {
        switch value {
        case .null: nil
        case .integer(let number): strdup(String(number))
        case .real(let number) where number.isNaN: strdup("NaN")
        case .real(let number) where number.isInfinite: strdup(number > 0 ? "Infinity" : "-Infinity")
        case .real(let number): strdup("\(number)")
        case .text(let text): strdup(text)
        }
    }

    /// Runs `body`; when it failed because the server dropped the connection (a restart, a
    /// failover, an idle timeout) and no transaction was open, whose work would be lost with it,
    /// runs it once more on a new connection. Outside a transaction the store only reads (writes
    /// go through `Store.write`'s transactions), so running a statement again changes nothing.
    private func onLiveConnection<T>(_ operation: () -> String, _ body: () throws(StoreError) -> T)
        throws(StoreError) -> T
    {
        try reconnectIfDropped(operation())
        do {
            return try body()
        } catch {
            guard !inTransaction, PQstatus(connection) != CONNECTION_OK else { throw error }
            try reconnectIfDropped(operation())
            return try body()
        }
    }

    /// Opens the connection again when the server dropped it (a restart, a failover, an idle
    /// timeout); the statements prepared on the old session are gone with it.
    private func reconnectIfDropped(_ operation: @autoclosure () -> String) throws(StoreError) {
        guard PQstatus(connection) != CONNECTION_OK else { return }
        PQreset(connection)
        prepared = [:]
        guard PQstatus(connection) == CONNECTION_OK else {
            throw .postgres(operation: operation(), sql: nil, state: "08006", message: connectionMessage)
        }
    }

    /// Passes a successful result through and throws a `StoreError` with context for any other.
    private func check(_ result: OpaquePointer?, _ operation: @autoclosure () -> String, sql: String?)
        throws(StoreError)
    {
        let status = PQresultStatus(result)
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        let state = PQresultErrorField(result, clibpq_diag_sqlstate).map { String(cString: $0) } ?? "08006"
        let message =
            PQresultErrorField(result, clibpq_diag_message_primary).map { String(cString: $0) } ?? connectionMessage
        if let kind = Self.constraintKinds[state] {
            throw .constraintViolation(
                operation: operation(), sql: sql, message: "\(kind) constraint failed: \(message)")
        }
        throw .postgres(operation: operation(), sql: sql, state: state, message: message)
    }

    /// The integrity-violation SQLSTATEs, named as SQLite names its constraint failures.
    private static let constraintKinds = [
        "23505": "UNIQUE", "23503": "FOREIGN KEY", "23502": "NOT NULL", "23514": "CHECK",
    ]

    /// libpq's last message on this connection, on one line.
    private var connectionMessage: String {
        let text = PQerrorMessage(connection).map { String(cString: $0) } ?? ""
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.isEmpty ? "the connection failed" : lines.joined(separator: "; ")
    }
}
