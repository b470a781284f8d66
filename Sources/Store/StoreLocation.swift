import Foundation

/// Which database a store opens: a SQLite file, the embedded default, or a PostgreSQL database that
/// several workers share.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    /// The file's path, or the PostgreSQL URL (which never holds a password).
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let address): address.url
        }
    }
}

/// A PostgreSQL database: a libpq connection URL (`postgresql://user@host:5432/bulkdrop`, TLS
/// through its `sslmode` parameter), and the password kept apart from it, so the URL can be shown
/// in logs, errors and `status` and the password never is.
public struct PostgresAddress: Sendable, Equatable {
    /// The URL, without a password.
    public let url: String
    /// The password, read from the environment by the caller; nil when the server needs none
    /// (trust, peer or certificate authentication) or libpq finds it in `~/.pgpass`.
    public let password: String?

    /// Checks `url` and keeps it with `password`.
    ///
    /// - Throws: `StoreError.cannotOpen` when `url` is not a `postgresql://` or `postgres://`
    ///   URL, or holds a password itself.
    public init(url: String, password: String?) throws(StoreError) {
        guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://"), let parts = URLComponents(string: url)
        else {
            throw .cannotOpen(
                path: Self.redacted(url),
                reason: "the database URL must look like postgresql://user@host:5432/bulkdrop")
        }
        let queryNames = (parts.queryItems ?? []).map { $0.name.lowercased() }
        guard parts.password == nil, !queryNames.contains("password") else {
            throw .cannotOpen(
                path: Self.redacted(url),
                reason: "the database URL holds a password; take it out of the URL and put it in an environment "
                    + "variable named by \"passwordEnvironment\" (--password-environment for commands), so it "
                    + "never appears in a log")
        }
        self.url = url
        self.password = password
    }

    /// `url` with everything between `://` and `@` dropped, for a message about a URL refused for
    /// holding a password.
    private static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex)
        else { return url.components(separatedBy: "?")[0] }
        return String(url[..<scheme.upperBound]) + "…" + String(url[at.lowerBound...]).components(separatedBy: "?")[0]
    }
}
