import Foundation
import Store
import TestSupport
import Testing

@Suite("Store: opening, migrations and transactions")
struct StoreTests {
    /// SQLite only: a file and its `user_version`; `PostgresStoreTests` does the same for a database.
    @Test func freshFileIsMigratedAndReopenKeepsVersionAndData() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.path("nested/state/bulkdrop.sqlite")
            let store = try await Store.open(at: path)
            #expect(store.schemaVersion == Store.supportedSchemaVersion)
            #expect(store.schemaVersion >= 1)
            let tenantID = try await store.write { try $0.ensureTenant(named: "acme") }
            await store.close()

            let reopened = try await Store.open(at: path)
            #expect(reopened.schemaVersion == Store.supportedSchemaVersion)
            let version = try await reopened.read { try $0.pragma("user_version") }
            #expect(version == String(Store.supportedSchemaVersion))
            #expect(try await reopened.read { try $0.tenantID(named: "acme") } == tenantID)
            await reopened.close()
        }
    }

    /// SQLite only: the version in the file; `PostgresStoreTests` refuses a newer database.
    @Test func refusesDatabaseWrittenByNewerProgram() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.path("bulkdrop.sqlite")
            let store = try await Store.open(at: path)
            try await store.write { try $0.execute("PRAGMA user_version = 999") }
            await store.close()

            let error = await #expect(throws: StoreError.self) { try await Store.open(at: path) }
            #expect(error == .newerSchema(path: path, found: 999, supported: Store.supportedSchemaVersion))
            #expect(error?.description.contains("upgrade BulkDrop") == true)
        }
    }

    /// SQLite only: WAL, `synchronous` and the busy timeout are SQLite's settings; PostgreSQL has
    /// no pragmas and always enforces foreign keys (`foreignKeysAreEnforced` runs on both).
    @Test func connectionRunsInWALWithForeignKeys() async throws {
        try await withStore { store in
            let pragmas = try await store.read { connection in
                try ["journal_mode", "foreign_keys", "synchronous", "busy_timeout"].map { try connection.pragma($0) }
            }
            #expect(pragmas == ["wal", "1", "1", "5000"])  // synchronous 1 is NORMAL
        }
    }

    @Test(arguments: TestEngine.allCases) func foreignKeysAreEnforced(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let orphan = DeviceRecord(tenantID: fixture.tenantID, providerID: 999, iccid: iccid(1))
            let error = await #expect(throws: StoreError.self) {
                try await store.write { try $0.upsertDevices([orphan], at: Date()) }
            }
            guard case .constraintViolation(_, _, let message) = error else {
                Issue.record("expected a constraint violation, got \(String(describing: error))")
                return
            }
            #expect(message.contains("FOREIGN KEY"))
            #expect(error?.description.contains("does not exist") == true)
        }
    }

    @Test(arguments: TestEngine.allCases) func writeRollsBackWhenTheBodyThrows(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            await #expect(throws: StoreError.notFound(kind: "device", id: 42)) {
                try await store.write { connection in
                    _ = try connection.ensureTenant(named: "rolled back")
                    throw StoreError.notFound(kind: "device", id: 42)
                }
            }
            let tenantID = try await store.read { try $0.tenantID(named: "rolled back") }
            #expect(tenantID == nil)
        }
    }

    /// SQLite only: about the file's path.
    @Test func pathUnderARegularFileGivesAClearError() async throws {
        try await withTemporaryDirectory { directory in
            let blocker = directory.path("not-a-directory")
            try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
            let path = blocker + "/state/bulkdrop.sqlite"
            let error = await #expect(throws: StoreError.self) { try await Store.open(at: path) }
            guard case .cannotOpen(let reportedPath, _) = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(reportedPath == path)
            let description = error?.description ?? ""
            #expect(description.hasPrefix("cannot open the database at \(path): cannot create the directory"))
            #expect(description.contains("/state: \(blocker) is a file, not a directory;"))
            #expect(description.contains("written to"))
        }
    }

    /// SQLite only: about what is at the file's path.
    @Test func directoryOrNonDatabaseFileIsRefusedWithSQLitesReason() async throws {
        try await withTemporaryDirectory { directory in
            let junk = directory.path("junk.sqlite")
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: junk))
            let notDatabase = await #expect(throws: StoreError.self) { try await Store.open(at: junk) }
            #expect(notDatabase?.description.contains("cannot open the database at \(junk)") == true)
            #expect(notDatabase?.description.contains("not a SQLite database") == true)

            let tiny = directory.path("notes.txt")
            try Data("x".utf8).write(to: URL(fileURLWithPath: tiny))
            let tinyError = await #expect(throws: StoreError.self) { try await Store.open(at: tiny) }
            #expect(tinyError == .cannotOpen(path: tiny, reason: "the file is not a SQLite database"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: tiny)) == Data("x".utf8))  // left as it was

            let folder = await #expect(throws: StoreError.self) { try await Store.open(at: directory.url.path) }
            #expect(folder?.description.contains("unable to open database file") == true)
        }
    }

    /// SQLite only: the store's queue is the same for both engines; `PostgresStoreTests` covers opening.
    @Test func closedStoreSaysSo() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.path("bulkdrop.sqlite")
            let store = try await Store.open(at: path)
            await store.close()
            await #expect(throws: StoreError.closed(path: path)) {
                try await store.read { try $0.tenantID(named: "x") }
            }
        }
    }
}
