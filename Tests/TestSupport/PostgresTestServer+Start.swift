import Foundation
import Synchronization

/// The command that stops the server and the directory to remove, for the `atexit` handler
/// (a C function pointer, which cannot capture them).
private let exitCleanup = Mutex<(stop: [String], directory: String)?>(nil)

extension PostgresTestServer {
    /// A step of the start failed for a reason of the system's, not a command's.
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// How many lines of `server.log` a `StartFailed` carries.
    static let logTailLines = 20

    /// Finds the programs, makes a cluster with a random password in a new temporary directory,
    /// and starts the server on a free port; the process stops it at exit.
    static func start() async throws -> PostgresTestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString)")
        let data = directory.appendingPathComponent("data").path
        let log = directory.appendingPathComponent("server.log")
        func step<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
            do {
                return try await body()
            } catch {
                throw StartFailed(step: name, reason: "\(error)", logTail: tail(of: log))
            }
        }

        let binaries = try await step("finding initdb and pg_ctl") { try findBinaries() }
        let owner: (uid: uid_t, gid: gid_t)? =
            if getuid() == 0 { try await step("looking up the postgres user") { try postgresUser() } } else { nil }
        // As root, the server's programs run as `postgres`, and everything they write to is theirs.
        let asServer = owner == nil ? [] : ["/usr/sbin/runuser", "-u", "postgres", "--"]
        func runAsServer(_ program: String, _ arguments: [String]) async throws {
            let command = asServer + ["\(binaries)/\(program)"] + arguments
            _ = try await ExternalTool.run(command[0], Array(command.dropFirst()), in: directory)
        }
        func giveToServer(_ path: String) throws {
            guard let owner else { return }
            guard chown(path, owner.uid, owner.gid) == 0 else {
                throw Problem(description: "chown \(path): \(String(cString: strerror(errno)))")
            }
        }

        // Registered before anything can start a server, so that whatever happens next is undone at exit.
        registerExitCleanup(
            stop: asServer + ["\(binaries)/pg_ctl", "-D", data, "-m", "immediate", "stop"], directory: directory.path)
        try await step("making the directory \(directory.path)") {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
            try giveToServer(directory.path)
        }

        let password = UUID().uuidString
        let passwordFile = directory.appendingPathComponent("password")
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        try await step("writing the password file") {
            try Data((password + "\n").utf8).write(to: passwordFile)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
            try giveToServer(passwordFile.path)
        }
        try await step("initdb") {
            try await runAsServer(
                "initdb",
                [
                    "-D", data, "-U", "bulkdrop", "--encoding=UTF8", "--locale=C", "--auth-local=trust",
                    "--auth-host=scram-sha-256", "--pwfile=\(passwordFile.path)", "--no-sync",
                ])
        }
        try? FileManager.default.removeItem(at: passwordFile)

        let port = try await step("picking a free port") { try SilentListener.unusedPort() }
        let options =
            "-p \(port) -c listen_addresses=\(host) -k \(directory.path) -c fsync=off -c synchronous_commit=off"
            + " -c max_connections=400"
            + " -c full_page_writes=off"
        try await step("pg_ctl start") {
            try await runAsServer("pg_ctl", ["-D", data, "-l", log.path, "-w", "-o", options, "start"])
        }
        return PostgresTestServer(port: port, password: password, binaries: binaries, directory: directory)
    }

    /// The highest-numbered `/usr/lib/postgresql/<version>/bin` that has `initdb` and `pg_ctl`.
    static func findBinaries() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let found = versions.compactMap { name in Double(name).map { (number: $0, name: name) } }
            .sorted { $0.number > $1.number }
            .map { "\(root)/\($0.name)/bin" }
            .first { bin in
                ["initdb", "pg_ctl"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(bin)/\($0)") }
            }
        guard let found else {
            throw Problem(
                description: "no \(root)/<version>/bin with initdb and pg_ctl (scripts/setup installs postgresql)")
        }
        return found
    }

    /// The user and group ids of the `postgres` user (made by Debian's `postgresql` package).
    static func postgresUser() throws -> (uid: uid_t, gid: gid_t) {
        guard let entry = getpwnam("postgres") else {
            throw Problem(description: "no user named postgres (Debian's postgresql package makes it)")
        }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// The last `logTailLines` lines of the server's log, or nothing when it cannot be read.
    static func tail(of log: URL) -> String {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(logTailLines).joined(
            separator: "\n")
    }

    /// Makes the process run `stop` and remove `directory` when it exits.
    private static func registerExitCleanup(stop: [String], directory: String) {
        exitCleanup.withLock { $0 = (stop, directory) }
        atexit { PostgresTestServer.cleanUpAtExit() }
    }

    /// Stops the server and removes its directory. Async code cannot run in an `atexit` handler,
    /// so the stop command is spawned and waited for here, blocking.
    private static func cleanUpAtExit() {
        let cleanup = exitCleanup.withLock { cleanup in
            defer { cleanup = nil }
            return cleanup
        }
        guard let cleanup else { return }
        spawnAndWait(cleanup.stop)
        try? FileManager.default.removeItem(atPath: cleanup.directory)
    }

    /// Runs `command` (its first element a path) with its standard descriptors on `/dev/null`,
    /// and waits for it; a failure is ignored, as there is no one left to tell at exit.
    private static func spawnAndWait(_ command: [String]) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor in Int32(0)...2 {
            posix_spawn_file_actions_addopen(
                &actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = command.map { strdup($0) } + [nil]
        let envp = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, command[0], &actions, nil, argv, envp) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    }
}
