import Foundation
import Store
import TestSupport
import Testing

/// Opening a PostgreSQL store: migrations once, a newer schema refused, and every way the server
/// can refuse told without the password.
@Suite("Store: opening a PostgreSQL database")
struct PostgresStoreTests {
    @Test func freshDatabaseIsMigratedOnceAndReopenKeepsItsData() async throws {
        let server = try await PostgresTestServer.shared()
        let address = try await server.freshDatabase()
        let store = try await Store.open(.postgres(address))
        #expect(store.schemaVersion == Store.supportedSchemaVersion)
        #expect(store.location == address.url)
        let tenantID = try await store.write { try $0.ensureTenant(named: "acme") }
        await store.close()
        let reopened = try await Store.open(.postgres(address))
        #expect(reopened.schemaVersion == Store.supportedSchemaVersion)
        #expect(try await reopened.read { try $0.tenantID(named: "acme") } == tenantID)
        await reopened.close()
        let recorded = try await server.psql(address.url, "SELECT version FROM bulkdrop_schema")
        #expect(recorded == "\(Store.supportedSchemaVersion)\n", "one row, the newest version")
    }

    @Test func refusesDatabaseWrittenByNewerProgram() async throws {
        let server = try await PostgresTestServer.shared()
        let address = try await server.freshDatabase()
        await (try await Store.open(.postgres(address))).close()
        _ = try await server.psql(address.url, "UPDATE bulkdrop_schema SET version = 999")
        let error = await #expect(throws: StoreError.self) { try await Store.open(.postgres(address)) }
        #expect(error == .newerSchema(path: address.url, found: 999, supported: Store.supportedSchemaVersion))
    }

    @Test func aWrongPasswordIsRefusedWithoutShowingIt() async throws {
        let server = try await PostgresTestServer.shared()
        let url = try await server.createDatabase()
        let wrong = "not-the-password-\(UUID().uuidString)"
        let error = await #expect(throws: StoreError.self) {
            try await Store.open(.postgres(try PostgresAddress(url: url, password: wrong)))
        }
        let text = error?.description ?? ""
        #expect(text.contains("password authentication failed"), "\(text)")
        #expect(!text.contains(wrong) && !text.contains(server.password))
    }

    @Test func aURLHoldingAPasswordIsRefusedWithoutShowingIt() async throws {
        for url in ["postgresql://bulkdrop:s3cret@db.example.com/bulkdrop", "postgresql://db/bulkdrop?password=s3cret"]
        {
            let error = #expect(throws: StoreError.self) { try PostgresAddress(url: url, password: nil) }
            let text = error?.description ?? ""
            #expect(text.contains("passwordEnvironment") && !text.contains("s3cret"), "\(text)")
        }
        #expect(throws: StoreError.self) { try PostgresAddress(url: "mysql://db/bulkdrop", password: nil) }
    }

    @Test func anUnreachableServerIsNamedInTheError() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let address = try PostgresAddress(url: "postgresql://bulkdrop@127.0.0.1:1/bulkdrop", password: nil)
        let error = await #expect(throws: StoreError.self) { try await Store.open(.postgres(address)) }
        let text = error?.description ?? ""
        #expect(text.contains("127.0.0.1") && text.contains("Connection refused"), "\(text)")
    }
}

extension PostgresStoreTests {
    @Test func aConnectionTheServerDroppedIsOpenedAgain() async throws {
        let server = try await PostgresTestServer.shared()
        let address = try await server.freshDatabase()
        let store = try await Store.open(.postgres(address))
        let tenantID = try await store.write { try $0.ensureTenant(named: "acme") }
        let name = try #require(address.url.split(separator: "/").last)
        let ended = try await server.psql(
            "postgres",
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(name)'")
        #expect(ended == "1\n", "the store's one connection was ended")
        // A read is run again on a new connection; so is the next write transaction.
        #expect(try await store.read { try $0.tenantID(named: "acme") } == tenantID)
        #expect(try await store.write { try $0.ensureTenant(named: "acme") } == tenantID)
        await store.close()
    }
}

extension PostgresStoreTests {
    /// TLS is libpq's `sslmode` in the URL; the test server has no certificate, so a URL that
    /// requires TLS is refused with libpq's reason rather than sent in the clear.
    @Test func aURLRequiringTLSIsRefusedByAServerWithout() async throws {
        let server = try await PostgresTestServer.shared()
        let url = try await server.createDatabase() + "?sslmode=require"
        let error = await #expect(throws: StoreError.self) {
            try await Store.open(.postgres(try PostgresAddress(url: url, password: server.password)))
        }
        #expect(error?.description.contains("does not support SSL") == true, "\(error?.description ?? "")")
    }
}
