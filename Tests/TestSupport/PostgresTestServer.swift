import Foundation
import Synchronization

/// A real PostgreSQL server for the tests: one per test process, started the first time a test
/// asks for it and stopped when the process exits, handing each test a fresh database of its own.
///
/// The server is Debian's (`scripts/setup` installs the `postgresql` package), run from a
/// temporary directory that holds its data, its log (`server.log`) and its unix socket. It
/// listens on 127.0.0.1 at a port the OS picked and asks TCP clients for the password of `user`
/// (SCRAM). Durability is off (`fsync`, `synchronous_commit`, `full_page_writes`): nothing in it
/// outlives the process.
///
/// - Note: PostgreSQL refuses to run as root. As root, the server's directory belongs to the
///   `postgres` user and `initdb` and `pg_ctl` run as that user through `runuser`; the clients
///   (`createdb`, `psql`) run as the test process.
public final class PostgresTestServer: Sendable {
    /// The port the server listens on, at 127.0.0.1.
    public let port: Int
    /// The superuser the cluster was made with; tests connect as this user.
    public let user = "bulkdrop"
    /// The password of `user`: a random UUID made for this server. Not part of the URLs handed out.
    public let password: String
    /// The folder of the PostgreSQL programs, such as `/usr/lib/postgresql/15/bin`.
    public let binaries: String
    /// The server's temporary directory: `data`, `server.log` and the unix socket; removed at exit.
    public let directory: URL

    static let host = "127.0.0.1"

    /// The one start of the process, shared by every caller; a failed start is not tried again.
    private static let starting = Mutex<Task<PostgresTestServer, any Error>?>(nil)

    init(port: Int, password: String, binaries: String, directory: URL) {
        self.port = port
        self.password = password
        self.binaries = binaries
        self.directory = directory
    }

    /// The server of this test process, started on the first call; concurrent first callers share
    /// the same start.
    ///
    /// - Throws: `StartFailed`, naming the step that failed, when the server could not be started
    ///   (then every later call throws the same error).
    public static func shared() async throws -> PostgresTestServer {
        let task = starting.withLock { starting in
            if let starting { return starting }
            let task = Task { try await start() }
            starting = task
            return task
        }
        return try await task.value
    }

    /// Creates a fresh, empty database named `test_<random hex>`; returns its URL without the
    /// password, `postgresql://bulkdrop@127.0.0.1:<port>/<name>`.
    ///
    /// - Throws: `ExternalTool.Failed` with `createdb`'s standard error.
    public func createDatabase() async throws -> String {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        _ = try await ExternalTool.run(
            "\(binaries)/createdb", ["-h", Self.host, "-p", String(port), "-U", user, name], in: directory,
            environment: ["PGPASSWORD": password])
        return "postgresql://\(user)@\(Self.host):\(port)/\(name)"
    }

    /// Runs `sql` with `psql` in `database` (a name, or a URL from `createDatabase()`) and returns
    /// what it printed: unaligned, without headers or footers, one line per row (`1\n` for `select 1`).
    ///
    /// The first failing statement stops `psql` (`ON_ERROR_STOP`). `password` replaces the
    /// server's own, for tests of authentication.
    ///
    /// - Throws: `ExternalTool.Failed` with `psql`'s standard error.
    public func psql(_ database: String, _ sql: String, password: String? = nil) async throws -> String {
        try await ExternalTool.run(
            "\(binaries)/psql",
            [
                "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", Self.host, "-p", String(port), "-U", user, "-d",
                database, "-c", sql,
            ], in: directory, environment: ["PGPASSWORD": password ?? self.password])
    }

    /// The whole of `database` (a name, or a URL from `createDatabase()`) as SQL text, data
    /// included: what a backup would hold.
    ///
    /// - Throws: `ExternalTool.Failed` with `pg_dump`'s standard error.
    public func dump(_ database: String) async throws -> String {
        try await ExternalTool.run(
            "\(binaries)/pg_dump", ["-h", Self.host, "-p", String(port), "-U", user, "-d", database], in: directory,
            environment: ["PGPASSWORD": password])
    }

    /// Starting the server failed at `step`.
    public struct StartFailed: Error, CustomStringConvertible {
        /// What was being done, such as `initdb` or `pg_ctl start`.
        public let step: String
        /// Why it failed: the command and its standard error, or the system's reason.
        public let reason: String
        /// The last lines of the server's log, or nothing when it has none yet.
        public let logTail: String

        public var description: String {
            let log = logTail.isEmpty ? "" : "\nlast lines of server.log:\n\(logTail)"
            return "PostgreSQL test server: \(step) failed: \(reason)\(log)"
        }
    }
}
