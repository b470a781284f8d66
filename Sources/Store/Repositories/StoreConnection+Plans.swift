extension StoreConnection {
    /// Adds the carrier rate plans the provider offers; names already known stay.
    public func upsertCarrierRatePlans(providerID: Int64, names: some Sequence<String>) throws(StoreError) {
        try addPlanNames(names, table: "carrier_rate_plan", kind: "carrier rate plan", providerID: providerID)
    }

    /// The carrier rate plans known for the provider.
    public func carrierRatePlans(providerID: Int64) throws(StoreError) -> Set<String> {
        try planNames(table: "carrier_rate_plan", kind: "carrier rate plans", providerID: providerID)
    }

    /// Adds the communication plans the provider offers; names already known stay.
    public func upsertCommunicationPlans(providerID: Int64, names: some Sequence<String>) throws(StoreError) {
        try addPlanNames(names, table: "communication_plan", kind: "communication plan", providerID: providerID)
    }

    /// The communication plans known for the provider.
    public func communicationPlans(providerID: Int64) throws(StoreError) -> Set<String> {
        try planNames(table: "communication_plan", kind: "communication plans", providerID: providerID)
    }

    /// Inserts plan names into a per-provider name table (a fixed table name, never user text).
    private func addPlanNames(_ names: some Sequence<String>, table: String, kind: String, providerID: Int64)
        throws(StoreError)
    {
        for name in names {
            try run(
                "saving \(kind) \(name)",
                "INSERT INTO \(table) (provider_id, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                [SQLValue(providerID), SQLValue(name)])
        }
    }

    private func planNames(table: String, kind: String, providerID: Int64) throws(StoreError) -> Set<String> {
        Set(
            try query("reading \(kind)", "SELECT name FROM \(table) WHERE provider_id = ?1", [SQLValue(providerID)]) {
                $0.text(0)
            })
    }

    /// Inserts the tenant's customer rate plans, or updates those with the same code.
    public func upsertCustomerRatePlans(tenantID: Int64, _ plans: [CustomerRatePlanRecord]) throws(StoreError) {
        let sql = """
            INSERT INTO customer_rate_plan (tenant_id, code, name, data_allocation_mb) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name,
                data_allocation_mb = excluded.data_allocation_mb
            """
        for plan in plans {
            try run(
                "saving customer rate plan \(plan.code)", sql,
                [SQLValue(tenantID), SQLValue(plan.code), SQLValue(plan.name), SQLValue(plan.dataAllocationMB)])
        }
    }

    /// The tenant's customer rate plans, by code.
    public func customerRatePlans(tenantID: Int64) throws(StoreError) -> [CustomerRatePlanRecord] {
        let sql = "SELECT code, name, data_allocation_mb FROM customer_rate_plan WHERE tenant_id = ?1 ORDER BY code"
        return try query("reading customer rate plans", sql, [SQLValue(tenantID)]) {
            CustomerRatePlanRecord(code: $0.text(0), name: $0.text(1), dataAllocationMB: $0.optionalDouble(2))
        }
    }

    /// Inserts the tenant's customer pools, or renames those with the same code.
    public func upsertCustomerPools(tenantID: Int64, _ pools: [CustomerPoolRecord]) throws(StoreError) {
        let sql = """
            INSERT INTO customer_pool (tenant_id, code, name) VALUES (?1, ?2, ?3)
            ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name
            """
        for pool in pools {
            try run(
                "saving customer pool \(pool.code)", sql,
                [SQLValue(tenantID), SQLValue(pool.code), SQLValue(pool.name)])
        }
    }

    /// The tenant's customer pools, by code.
    public func customerPools(tenantID: Int64) throws(StoreError) -> [CustomerPoolRecord] {
        let sql = "SELECT code, name FROM customer_pool WHERE tenant_id = ?1 ORDER BY code"
        return try query("reading customer pools", sql, [SQLValue(tenantID)]) {
            CustomerPoolRecord(code: $0.text(0), name: $0.text(1))
        }
    }
}
