import Foundation
import TestSupport
import Testing

/// Several `bulkdrop run` workers sharing one PostgreSQL database (and one inbox and outbox, as
/// on a shared filesystem), against a simulator that answers in 20 ms and throttles an account
/// past 100 calls in a second.
@Suite("bulkdrop run: several workers on one PostgreSQL database", .serialized)
struct WorkersTests {
    static let passwordVariable = "BULKDROP_TEST_DATABASE_PASSWORD"

    /// `devices` devices and the shared-work file for them, on a fresh database of the test
    /// server; every worker may make 100 calls a second, as many as the account allows.
    static func world(devices: Int) async throws -> ServiceWorld {
        let server = try await PostgresTestServer.shared()
        let url = try await server.createDatabase()
        return try await ServiceWorld(
            devices: devices, simulatorArguments: ["--latency-ms", "20", "--rate-limit", "100"],
            // The default lease (30 s): the workers run on one host, where a killed worker's leases
            // are taken over at once.
            settings: "\"database\": {\"url\": \"\(url)\", \"passwordEnvironment\": \"\(passwordVariable)\"}",
            providerSettings: "\"callsPerSecond\": 100",
            file: (
                "status-update_shared.csv", "iccid,target_status",
                { "\(ServiceWorld.iccid($0)),\($0 % 50 == 0 ? "SLEEPING" : "DEACTIVATED")" }
            ), environment: [passwordVariable: server.password])
    }

    /// Calls the simulator throttled: one past the account's 100 in some second.
    static func throttledCalls(_ world: ServiceWorld) throws -> Int {
        struct Counters: Decodable { var throttledCalls: Int }
        return try world.admin(Counters.self, "counters").throttledCalls
    }

    @Test func threeWorkersEditEachDeviceOnceWithinTheAccountsRate() async throws {
        let world = try await Self.world(devices: 3000)
        let workers = try (0..<3).map { _ in try world.service([]) }
        let lines = try await SharedWorkTests.runUntil("event=notified", workers)
        #expect(lines.filter { $0.contains("event=finished") }.count == 1, "one worker finished the file")
        #expect(lines.filter { $0.contains("event=helped") }.count >= 2, "the other two worked pages of it")
        #expect(!lines.contains { $0.contains("level=error") }, "\(lines.filter { $0.contains("level=error") })")
        try SharedWorkTests.checkEveryDeviceOnce(world)
        let throttled = try Self.throttledCalls(world)
        #expect(throttled == 0, "no second held more than the account's 100 calls: \(throttled) throttled")
        await world.finish()
    }

    @Test func aWorkerKilledMidFileIsFinishedByTheOthers() async throws {
        let world = try await Self.world(devices: 600)
        let first = try world.service([])
        _ = try await first.line { line in
            guard line.contains("event=progress"),
                let done = line.split(separator: " ").first(where: { $0.hasPrefix("done=") })
            else { return false }
            return (Int(done.dropFirst(5)) ?? 0) >= 100
        }
        let status = try await BinaryRunner.run(["status", "--config", world.config], environment: world.environment)
        #expect(status.output.contains("workers: 1"), "\(status.output)")
        #expect(
            status.output.contains("holds bulk change #1, ") && status.output.contains("page of rows #"),
            "the worker and its work: \(status.output)")
        let others = try (0..<2).map { _ in try world.service([]) }
        first.send(SIGKILL)
        #expect(await first.exit().bySignal)
        let lines = try await SharedWorkTests.runUntil("event=notified", others)
        #expect(lines.contains { $0.contains("event=resuming") }, "another worker took the file over")
        try SharedWorkTests.checkEveryDeviceOnce(world)
        #expect(try Self.throttledCalls(world) == 0)
        await world.finish()
    }

    /// On PostgreSQL no database file makes the state directory; the built-in simulator, which keeps
    /// its devices there, makes it itself.
    @Test func theBuiltInSimulatorOnPostgreSQLMakesItsStateDirectory() async throws {
        let server = try await PostgresTestServer.shared()
        let url = try await server.createDatabase()
        let folder = try TestFolder()
        defer { folder.remove() }
        let state = folder.url.appendingPathComponent("state/not-made-yet")
        let config = folder.url.appendingPathComponent("config.json")
        try """
        {"stateDirectory": "\(state.path)", "inbox": "\(folder.url.path)/inbox", "outbox": "\(folder.url.path)/outbox",
         "database": {"url": "\(url)", "passwordEnvironment": "\(Self.passwordVariable)"}}
        """.write(to: config, atomically: true, encoding: .utf8)
        let status = try await BinaryRunner.run(
            ["status", "--config", config.path], environment: [Self.passwordVariable: server.password])
        #expect(status.status == 0, "\(status.errors)")
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("simulator-devices.json").path))
    }

    @Test func migrateMovesASQLiteStateToPostgreSQLWhereWorkGoesOn() async throws {
        let world = try await SharedWorkTests.world(devices: 50)
        try await world.runOnce()
        let server = try await PostgresTestServer.shared()
        let url = try await server.createDatabase()
        let environment = world.environment.merging([Self.passwordVariable: server.password]) { $1 }
        let sqlite = world.folder.appendingPathComponent("var/bulkdrop.sqlite").path
        for _ in 0..<2 {  // run again, it continues: nothing more to copy, the counts still agree
            let migrated = try await BinaryRunner.run(
                ["migrate", "--from", sqlite, "--to", url, "--password-environment", Self.passwordVariable],
                environment: environment)
            #expect(migrated.status == 0, "\(migrated.errors)")
            #expect(migrated.output.contains("bulk_change_detail: 50 in SQLite, 50 in PostgreSQL, ok"))
            #expect(migrated.output.contains("device: 50 in SQLite, 50 in PostgreSQL, ok"))
            #expect(!migrated.output.contains("DIFFERENT"), "\(migrated.output)")
        }
        // The same world on PostgreSQL: the ids go on after the copied ones.
        let sqliteConfiguration = try String(contentsOfFile: world.config, encoding: .utf8)
        let end = try #require(sqliteConfiguration.lastIndex(of: "}"))
        let configuration =
            sqliteConfiguration[..<end]
            + ", \"database\": {\"url\": \"\(url)\", \"passwordEnvironment\": \"\(Self.passwordVariable)\"}}"
        let onPostgres = world.folder.appendingPathComponent("postgres.json").path
        try configuration.write(toFile: onPostgres, atomically: true, encoding: .utf8)
        try "iccid,target_status\n\(ServiceWorld.iccid(1)),ACTIVATED\n".write(
            toFile: world.folder.appendingPathComponent("inbox/acme/status-update_again.csv").path, atomically: true,
            encoding: .utf8)
        let run = try await BinaryRunner.run(
            ["run", "--once", "--config", onPostgres, "--settle-seconds", "0", "--poll-seconds", "1"],
            environment: environment)
        #expect(run.status == 0, "\(run.errors)")
        let status = try await BinaryRunner.run(["status", "--config", onPostgres], environment: environment)
        #expect(status.output.contains("acme/status-update_shared.csv"), "\(status.output)")
        #expect(status.output.contains("acme/status-update_again.csv claimed"), "\(status.output)")
        #expect(status.output.contains("bulk change 2 PROCESSED (1 PROCESSED)"), "\(status.output)")
        await world.finish()
    }
}
