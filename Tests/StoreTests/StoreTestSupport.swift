import Foundation
import Store
import TestSupport
import Testing

/// A directory of its own under the system's temporary directory.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("StoreTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` with a temporary directory that is removed afterwards, whatever happens.
func withTemporaryDirectory<T>(_ body: (TemporaryDirectory) async throws -> T) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try await body(directory)
}

/// Runs `body` with a fresh store, then closes it: a SQLite file in its own temporary directory,
/// or a database of its own on the test run's PostgreSQL server.
func withStore<T>(on engine: TestEngine = .sqlite, _ body: (Store) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let store =
            switch engine {
            case .sqlite: try await Store.open(at: directory.path("bulkdrop.sqlite"))
            case .postgres: try await Store.open(.postgres(try await PostgresTestServer.shared().freshDatabase()))
            }
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// Two tenants and one provider, the shape most tests need.
struct Fixture: Sendable {
    let tenantID: Int64
    let otherTenantID: Int64
    let providerID: Int64

    static func make(in store: Store) async throws -> Fixture {
        try await store.write { connection in
            Fixture(
                tenantID: try connection.ensureTenant(named: "acme"),
                otherTenantID: try connection.ensureTenant(named: "globex"),
                providerID: try connection.upsertProvider(.pod19))
        }
    }
}

extension ServiceProviderRecord {
    static let pod19 = ServiceProviderRecord(
        name: "POD19 main", integration: .pod19, baseURL: "https://rws.example.com/rws/api/v1", username: "api-user",
        apiKeySource: .environment("POD19_API_KEY"), writesEnabled: true, callsPerSecond: 5, maxInFlight: 4)
}

/// A UTC date from ISO-8601 text with whole seconds.
func utc(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text)!
}

/// A 19-digit ICCID made from a number.
func iccid(_ number: Int) -> String {
    let digits = String(number)
    return "8901260" + String(repeating: "0", count: 12 - digits.count) + digits
}

extension PostgresTestServer {
    /// A new, empty database on this server, with the password to reach it.
    func freshDatabase() async throws -> PostgresAddress {
        try PostgresAddress(url: try await createDatabase(), password: password)
    }
}
