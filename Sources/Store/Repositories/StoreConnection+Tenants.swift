extension StoreConnection {
    /// The id of the tenant called `name`, inserting it when missing.
    public func ensureTenant(named name: String) throws(StoreError) -> Int64 {
        let sql =
            "INSERT INTO tenant (name) VALUES (?1) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id"
        guard let id = try queryFirst("ensuring tenant \(name)", sql, [SQLValue(name)], { $0.int64(0) }) else {
            throw .notFound(kind: "tenant named \(name)", id: 0)
        }
        return id
    }

    /// The id of the tenant called `name`, or nil.
    public func tenantID(named name: String) throws(StoreError) -> Int64? {
        try queryFirst("looking up tenant \(name)", "SELECT id FROM tenant WHERE name = ?1", [SQLValue(name)]) {
            $0.int64(0)
        }
    }

    /// The name of the tenant with `id`, or nil.
    public func tenantName(id: Int64) throws(StoreError) -> String? {
        try queryFirst("looking up tenant \(id)", "SELECT name FROM tenant WHERE id = ?1", [SQLValue(id)]) {
            $0.text(0)
        }
    }

    /// Every tenant's name by id.
    public func tenantNames() throws(StoreError) -> [Int64: String] {
        let rows = try query("reading the tenant names", "SELECT id, name FROM tenant") { ($0.int64(0), $0.text(1)) }
        return Dictionary(uniqueKeysWithValues: rows)  // ids are the primary key
    }
}
