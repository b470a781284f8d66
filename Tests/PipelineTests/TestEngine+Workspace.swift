import Foundation
import Pipeline
import TestSupport

extension TestEngine {
    /// The variable the configurations of PostgreSQL tests name for the password; tests hand the
    /// environment that holds it to `Workspace.open` rather than setting it in the process's own.
    static let passwordVariable = "BULKDROP_TEST_DATABASE_PASSWORD"

    /// The `database` settings of a configuration on this engine (nil for SQLite: the file under
    /// the state directory, as by default), and the environment that holds their password.
    func databaseSettings() async throws -> (DatabaseSettings?, [String: String]) {
        var environment = ProcessInfo.processInfo.environment
        switch self {
        case .sqlite: return (nil, environment)
        case .postgres:
            let server = try await PostgresTestServer.shared()
            let url = try await server.createDatabase()
            environment[Self.passwordVariable] = server.password
            return (DatabaseSettings(url: url, passwordEnvironment: Self.passwordVariable), environment)
        }
    }
}
