import Testing

/// The database engines tests run the store and the pipeline on: SQLite, the embedded default,
/// and PostgreSQL on the test run's own server (`PostgresTestServer`).
public enum TestEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }
}
