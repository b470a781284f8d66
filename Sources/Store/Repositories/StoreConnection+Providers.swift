extension StoreConnection {
    /// Inserts the provider, or updates the one with the same name; returns its id.
    ///
    /// - Throws: `StoreError.constraintViolation` for an invalid record.
    public func upsertProvider(_ provider: ServiceProviderRecord) throws(StoreError) -> Int64 {
        let sql = """
            INSERT INTO service_provider (name, integration, base_url, username, api_key_source, writes_enabled,
                calls_per_second, max_in_flight, username_field)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            ON CONFLICT (name) DO UPDATE SET integration = excluded.integration, base_url = excluded.base_url,
                username = excluded.username, api_key_source = excluded.api_key_source,
                writes_enabled = excluded.writes_enabled, calls_per_second = excluded.calls_per_second,
                max_in_flight = excluded.max_in_flight, username_field = excluded.username_field
            RETURNING id
            """
        let values = [
            SQLValue(provider.name), SQLValue(provider.integration.rawValue), SQLValue(provider.baseURL),
            SQLValue(provider.username), SQLValue(provider.apiKeySource.text), SQLValue(provider.writesEnabled),
            SQLValue(provider.callsPerSecond), SQLValue(provider.maxInFlight), SQLValue(provider.usernameField),
        ]
        guard let id = try queryFirst("saving service provider \(provider.name)", sql, values, { $0.int64(0) }) else {
            throw .notFound(kind: "service provider named \(provider.name)", id: 0)
        }
        return id
    }

    /// The provider called `name`, or nil.
    public func provider(named name: String) throws(StoreError) -> ServiceProviderRecord? {
        try queryFirst("reading service provider \(name)", Self.selectProvider + " WHERE name = ?1", [SQLValue(name)]) {
            row throws(StoreError) in try Self.provider(from: row)
        }
    }

    /// The provider with that id, or nil.
    public func provider(id: Int64) throws(StoreError) -> ServiceProviderRecord? {
        try queryFirst("reading service provider \(id)", Self.selectProvider + " WHERE id = ?1", [SQLValue(id)]) {
            row throws(StoreError) in try Self.provider(from: row)
        }
    }

    private static let selectProvider = """
        SELECT id, name, integration, base_url, username, api_key_source, writes_enabled, calls_per_second,
            max_in_flight, username_field
        FROM service_provider
        """

    private static func provider(from row: Row) throws(StoreError) -> ServiceProviderRecord {
        guard let integration = IntegrationType(rawValue: row.text(2)) else {
            throw .invalidValue(
                field: "service_provider.integration", value: row.text(2),
                expected: "POD19, Jasper, "
                    + "TMobileJasper or Rogers")
        }
        guard let source = APIKeySource(text: row.text(5)) else {
            throw .invalidValue(
                field: "service_provider.api_key_source", value: row.text(5),
                expected: "env:NAME, file:/path or simulator")
        }
        return ServiceProviderRecord(
            id: row.int64(0), name: row.text(1), integration: integration, baseURL: row.text(3),
            username: row.text(4), apiKeySource: source, writesEnabled: row.bool(6), callsPerSecond: row.double(7),
            maxInFlight: row.int(8), usernameField: row.text(9))
    }
}
