import Foundation
import Store

/// The `database` key: a PostgreSQL database that several workers share, instead of the SQLite
/// file under `stateDirectory`.
///
/// ```json
/// "database": {"url": "postgresql://bulkdrop@db.example.com:5432/bulkdrop?sslmode=verify-full",
///              "passwordEnvironment": "BULKDROP_DB_PASSWORD"}
/// ```
///
/// TLS is asked for with libpq's `sslmode` in the URL. The password is never in the URL or the
/// configuration: it is read from the environment variable named here.
public struct DatabaseSettings: Codable, Sendable, Equatable {
    /// A libpq URL without a password: `postgresql://user@host:5432/database`.
    public var url: String
    /// The environment variable that holds the password; nil when the server asks for none
    /// (trust, peer or certificate authentication, or a `~/.pgpass` file).
    public var passwordEnvironment: String?

    public init(url: String, passwordEnvironment: String? = nil) {
        self.url = url
        self.passwordEnvironment = passwordEnvironment
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, passwordEnvironment
    }

    /// The keys `database` may hold.
    static let keySet = KeySet(CodingKeys.self)

    /// What is wrong with the URL (not a PostgreSQL URL, or one holding a password).
    func problems(at path: String) -> [ConfigurationProblem] {
        do {
            _ = try PostgresAddress(url: url, password: nil)
            return []
        } catch {
            return [.conflict(path: ConfigurationPath.key("url", in: path), fix: error.reason)]
        }
    }

    /// The database to open, with the password read from the environment.
    ///
    /// - Throws: `ConfigurationProblem.secretUnavailable` when the password variable is not set.
    func address(environment: [String: String]) throws(ConfigurationProblem) -> PostgresAddress {
        let password = try passwordEnvironment.map { variable throws(ConfigurationProblem) in
            try SecretVariable.value(
                of: variable, key: "database.passwordEnvironment", secret: "database password", in: environment)
        }
        do {
            return try PostgresAddress(url: url, password: password)
        } catch {
            throw .conflict(path: "database.url", fix: error.reason)
        }
    }
}

extension StoreError {
    /// Why a database URL was refused, without the words around it that `description` adds.
    fileprivate var reason: String {
        if case .cannotOpen(_, let reason) = self { return reason }
        return description
    }
}
