import Foundation
import TestSupport
import Testing

@Suite("PostgresTestServer: a real PostgreSQL server, a fresh database per test")
struct PostgresTestServerTests {
    @Test func concurrentFirstCallersShareOneServer() async throws {
        async let first = PostgresTestServer.shared()
        async let second = PostgresTestServer.shared()
        let (one, two) = try await (first, second)
        #expect(one === two)
    }

    @Test func eachDatabaseIsFreshAndSeparate() async throws {
        let server = try await PostgresTestServer.shared()
        async let first = server.createDatabase()
        async let second = server.createDatabase()
        let (one, two) = try await (first, second)
        #expect(one != two)
        #expect(one.hasPrefix("postgresql://bulkdrop@127.0.0.1:\(server.port)/test_"))
        #expect(!one.contains(server.password))

        _ = try await server.psql(one, "create table devices (iccid text primary key)")
        let devicesTables = "select count(*) from pg_tables where tablename = 'devices'"
        #expect(try await server.psql(one, devicesTables) == "1\n")
        #expect(try await server.psql(two, devicesTables) == "0\n")
        #expect(try await server.psql(two, "select 1") == "1\n")
        let name = String(two.split(separator: "/").last ?? "")
        #expect(try await server.psql(name, "select current_database()") == "\(name)\n")
    }

    @Test func aWrongPasswordIsRefused() async throws {
        let server = try await PostgresTestServer.shared()
        let database = try await server.createDatabase()
        let error = await #expect(throws: ExternalTool.Failed.self) {
            try await server.psql(database, "select 1", password: "not-\(server.password)")
        }
        #expect(error?.errors.contains("password authentication failed") == true, "\(String(describing: error))")
    }
}
