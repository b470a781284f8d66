import Dispatch
import Synchronization

/// The BulkDrop database: one SQLite file or one PostgreSQL database, one connection, one serial
/// queue.
///
/// Every database call runs on the store's own `DispatchQueue`, never on Swift's cooperative thread
/// pool; the async methods hand work to that queue and resume when it is done. Work runs in the
/// order it was submitted.
public final class Store: Sendable {
    /// Where the database is: the SQLite file, or the PostgreSQL URL without a password.
    public let location: String
    /// The schema version of the open file (always `Store.supportedSchemaVersion` after open).
    public let schemaVersion: Int
    private let queue: DispatchQueue
    private let holder: ConnectionHolder
    private let faults = Mutex<StoreFaults?>(nil)

    /// The newest schema version this program can read and write.
    public static var supportedSchemaVersion: Int { Schema.latestVersion }

    private init(location: String, schemaVersion: Int, queue: DispatchQueue, holder: ConnectionHolder) {
        self.location = location
        self.schemaVersion = schemaVersion
        self.queue = queue
        self.holder = holder
    }

    /// Opens the SQLite database file at `path`, creating it and its parent directories when missing.
    ///
    /// The connection uses WAL journaling, `synchronous=NORMAL`, enforced foreign keys and a busy
    /// timeout; pending migrations are applied in one transaction.
    ///
    /// - Throws: `StoreError.cannotOpen` when the file cannot be created or is not a database,
    ///   `StoreError.newerSchema` when it was written by a newer BulkDrop.
    public static func open(at path: String) async throws(StoreError) -> Store {
        try await open(.sqlite(path: path))
    }

    /// Opens the database at `location`, SQLite or PostgreSQL, and applies pending migrations in
    /// one transaction.
    ///
    /// - Throws: `StoreError.cannotOpen` when the database cannot be reached or opened,
    ///   `StoreError.newerSchema` when it was written by a newer BulkDrop.
    public static func open(_ location: StoreLocation) async throws(StoreError) -> Store {
        let queue = DispatchQueue(label: "bulkdrop.store")
        let holder = ConnectionHolder()
        let version = try await perform(on: queue) { () throws(StoreError) -> Int in
            let engine: any SQLEngine =
                switch location {
                case .sqlite(let path): try SQLiteEngine.open(at: path)
                case .postgres(let address): try PostgresEngine.open(address)
                }
            let connection = try StoreConnection(engine: engine)
            holder.connection = connection
            return try engine.schemaVersion()
        }
        return Store(location: location.description, schemaVersion: version, queue: queue, holder: holder)
    }

    /// Runs `body`, which only reads, on the store's queue, outside a write transaction. On
    /// PostgreSQL a statement whose connection the server dropped is run again on a new one.
    ///
    /// - Throws: the `StoreError` that `body` throws (any other error wrapped in
    ///   `StoreError.failed`), or `StoreError.closed` after `close()`.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreConnection) throws -> T)
        async throws(StoreError) -> T
    {
        try await Self.perform(on: queue) { [holder, location] () throws(StoreError) -> T in
            let connection = try holder.open(location)
            return try StoreError.wrapping { try body(connection) }
        }
    }

    /// Runs `body` on the store's queue inside one transaction (BEGIN IMMEDIATE … COMMIT; ROLLBACK
    /// when it throws).
    ///
    /// - Throws: the `StoreError` that `body` throws (any other error wrapped in
    ///   `StoreError.failed`; either way nothing of the transaction is kept), or
    ///   `StoreError.closed` after `close()`.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreConnection) throws -> T)
        async throws(StoreError) -> T
    {
        let faults = faults.withLock { $0 }
        return try await Self.perform(on: queue) { [holder, location] () throws(StoreError) -> T in
            let connection = try holder.open(location)
            try faults?.check()
            return try connection.transaction { () throws(StoreError) -> T in
                try StoreError.wrapping { try body(connection) }
            }
        }
    }

    /// Makes the writes that `faults` picks fail from now on (`nil` stops it): how tests find out
    /// what the pipeline does when the database refuses a write.
    public func injectFaults(_ faults: StoreFaults?) {
        self.faults.withLock { $0 = faults }
    }

    /// Closes the connection once the work already submitted has run; later calls throw `closed`.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [holder] in
                holder.connection = nil
                continuation.resume()
            }
        }
    }

    /// Runs `work` on `queue` and hands its result back to the waiting task.
    private static func perform<T: Sendable>(
        on queue: DispatchQueue, _ work: @escaping @Sendable () throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<T, StoreError>, Never>) in
            queue.async { continuation.resume(returning: Result(catching: work)) }
        }
        return try result.get()
    }
}

/// The store's connection; read and written only on the store's serial queue, which is what makes
/// the unchecked `Sendable` safe.
private final class ConnectionHolder: @unchecked Sendable {
    var connection: StoreConnection?

    /// The connection, or `closed` once the store was closed.
    func open(_ location: String) throws(StoreError) -> StoreConnection {
        guard let connection else { throw .closed(path: location) }
        return connection
    }
}
