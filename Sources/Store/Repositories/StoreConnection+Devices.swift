import Foundation

extension StoreConnection {
    /// Inserts new devices and updates existing ones, keyed by (provider, ICCID).
    ///
    /// An existing device takes the record's non-nil fields, each change with a history row; a nil
    /// field means "not known here" and keeps the stored value, so an inventory feed never wipes
    /// what bulk changes set (clear a field with `updateDevice`). A device that belongs to another
    /// tenant at the same provider is left alone and its ICCID listed in `conflicts`: tenants
    /// never touch each other's devices.
    ///
    /// - Throws: `StoreError.constraintViolation` for an unknown tenant or provider.
    public func upsertDevices(_ devices: [DeviceRecord], at date: Date) throws(StoreError) -> DeviceUpsertResult {
        var result = DeviceUpsertResult()
        var start = 0
        while start < devices.count {
            let chunk = devices[start..<min(start + Self.lookupChunkSize, devices.count)]
            start = chunk.endIndex
            try upsertChunk(chunk, at: date, into: &result)
        }
        return result
    }

    /// `upsertDevices` for at most `lookupChunkSize` devices: the stored ones are read in one
    /// query per provider (a round trip per device is what makes a large load slow on PostgreSQL).
    private func upsertChunk(_ devices: ArraySlice<DeviceRecord>, at date: Date, into result: inout DeviceUpsertResult)
        throws(StoreError)
    {
        var stored: [Int64: [String: DeviceRecord]] = [:]
        for providerID in Set(devices.map(\.providerID)) {
            let iccids = devices.filter { $0.providerID == providerID }.map(\.iccid)
            stored[providerID] = try self.devices(tenantID: nil, providerID: providerID, iccids: iccids)
        }
        var seenHere: Set<String> = []
        var newDevices: [DeviceRecord] = []
        var updates: [DeviceUpdate] = []
        /// Writes the new and changed devices gathered so far.
        func flush() throws(StoreError) {
            try insertDevices(newDevices, at: date)
            result.updated += try applyChanges(batch: updates, at: date)
            (newDevices, updates) = ([], [])
        }
        for device in devices {
            // An ICCID given again in one load is read again: the first time may have changed it
            // (or be among the new devices not inserted yet, which go in first).
            let repeated = !seenHere.insert(device.iccid).inserted
            if repeated { try flush() }
            let existing =
                repeated
                ? try self.device(providerID: device.providerID, iccid: device.iccid)
                : stored[device.providerID]?[device.iccid]
            guard let existing else {
                newDevices.append(device)
                result.inserted += 1
                continue
            }
            guard existing.tenantID == device.tenantID else {
                result.conflicts.append(device.iccid)
                continue
            }
            var changes: [DeviceField: String?] = [:]
            for field in DeviceField.allCases {
                guard let value = device.text(for: field), value != existing.text(for: field) else { continue }
                changes[field] = value
            }
            updates.append(DeviceUpdate(device: existing, changes: changes))
        }
        try flush()
    }

    /// The tenant's devices at the provider among `iccids`, by ICCID; other tenants' are left out
    /// (with `tenantID` nil, every tenant's are found).
    public func devices(tenantID: Int64?, providerID: Int64, iccids: [String])
        throws(StoreError) -> [String: DeviceRecord]
    {
        var found: [String: DeviceRecord] = [:]
        try forEachDevice(tenantID: tenantID, providerID: providerID, iccids: iccids, select: Self.selectDevice) {
            row throws(StoreError) in
            let device = try Self.device(from: row)
            found[device.iccid] = device
        }
        return found
    }

    /// Calls `body` with each row of `select` (a `SELECT … FROM device` without a `WHERE`) for
    /// the tenant's devices at the provider among `iccids` (any tenant's when `tenantID` is nil),
    /// `lookupChunkSize` ICCIDs per query.
    func forEachDevice(
        tenantID: Int64?, providerID: Int64, iccids: [String], select: String,
        _ body: (Row) throws(StoreError) -> Void
    ) throws(StoreError) {
        var start = 0
        while start < iccids.count {
            let chunk = iccids[start..<min(start + Self.lookupChunkSize, iccids.count)]
            start = chunk.endIndex
            var values = [SQLValue(providerID)]
            var condition = "provider_id = ?1"
            if let tenantID {
                values.append(SQLValue(tenantID))
                condition += " AND tenant_id = ?2"
            }
            let first = values.count + 1
            let placeholders = (first..<first + chunk.count).map { "?\($0)" }.joined(separator: ", ")
            let sql = select + " WHERE \(condition) AND iccid IN (\(placeholders))"
            values += chunk.map { SQLValue($0) }
            // Only full chunks share one cached statement; a shorter last chunk is compiled once.
            _ = try query(
                "looking up devices", sql, values, cached: chunk.count == Self.lookupChunkSize,
                body)
        }
    }

    /// The device with that ICCID at the provider, whichever tenant it belongs to.
    public func device(providerID: Int64, iccid: String) throws(StoreError) -> DeviceRecord? {
        let sql = Self.selectDevice + " WHERE provider_id = ?1 AND iccid = ?2"
        return try queryFirst("looking up ICCID \(iccid)", sql, [SQLValue(providerID), SQLValue(iccid)]) {
            row throws(StoreError) in try Self.device(from: row)
        }
    }

    /// The first-stored device with that IMEI at the provider, whichever tenant it belongs to.
    public func device(providerID: Int64, imei: String) throws(StoreError) -> DeviceRecord? {
        let sql = Self.selectDevice + " WHERE provider_id = ?1 AND imei = ?2 ORDER BY id LIMIT 1"
        return try queryFirst("looking up IMEI \(imei)", sql, [SQLValue(providerID), SQLValue(imei)]) {
            row throws(StoreError) in try Self.device(from: row)
        }
    }

    /// The device with that id.
    public func device(id: Int64) throws(StoreError) -> DeviceRecord? {
        try queryFirst("reading device \(id)", Self.selectDevice + " WHERE id = ?1", [SQLValue(id)]) {
            row throws(StoreError) in try Self.device(from: row)
        }
    }

    /// ICCIDs per `IN (…)` query, well under SQLite's parameter limit.
    static let lookupChunkSize = 500

    func insertDevice(_ device: DeviceRecord, at date: Date) throws(StoreError) {
        try insertDevices([device], at: date)
    }

    /// The columns a new device is inserted with, and its values for them.
    private static let insertColumns = [
        "tenant_id", "provider_id", "iccid", "imei", "msisdn", "status", "carrier_rate_plan", "communication_plan",
        "customer_rate_plan", "customer_pool", "data_allocation_mb", "username", "cost_center_1", "cost_center_2",
        "cost_center_3", "last_usage_date", "archived_at", "retain_until", "updated_at",
    ]

    private static func insertValues(_ device: DeviceRecord, at date: Date) -> [SQLValue] {
        [
            SQLValue(device.tenantID), SQLValue(device.providerID), SQLValue(device.iccid), SQLValue(device.imei),
            SQLValue(device.msisdn), SQLValue(device.status), SQLValue(device.carrierRatePlan),
            SQLValue(device.communicationPlan), SQLValue(device.customerRatePlan), SQLValue(device.customerPool),
            SQLValue(device.dataAllocationMB), SQLValue(device.username), SQLValue(device.costCenter(0)),
            SQLValue(device.costCenter(1)), SQLValue(device.costCenter(2)), SQLValue(device.lastUsageDate),
            SQLValue(device.archivedAt), SQLValue(device.retainUntil), SQLValue(date),
        ]
    }

    /// Inserts `devices`, the engine's `rowsPerInsert` of them per statement.
    private func insertDevices(_ devices: [DeviceRecord], at date: Date) throws(StoreError) {
        try runInBatches(devices.map { Self.insertValues($0, at: date) }, { "inserting \($0) devices" }) { count in
            "INSERT INTO device (\(Self.insertColumns.joined(separator: ", "))) VALUES "
                + Self.valueTuples(count: count, width: Self.insertColumns.count)
        }
    }

    private static let selectDevice = """
        SELECT id, tenant_id, provider_id, iccid, imei, msisdn, status, carrier_rate_plan, communication_plan,
            customer_rate_plan, customer_pool, data_allocation_mb, username, cost_center_1, cost_center_2,
            cost_center_3, last_usage_date, archived_at, retain_until, updated_at
        FROM device
        """

    private static func device(from row: Row) throws(StoreError) -> DeviceRecord {
        DeviceRecord(
            id: row.int64(0), tenantID: row.int64(1), providerID: row.int64(2), iccid: row.text(3),
            imei: row.optionalText(4), msisdn: row.optionalText(5), status: row.optionalText(6),
            carrierRatePlan: row.optionalText(7), communicationPlan: row.optionalText(8),
            customerRatePlan: row.optionalText(9), customerPool: row.optionalText(10),
            dataAllocationMB: row.optionalDouble(11), username: row.optionalText(12),
            costCenters: [row.optionalText(13), row.optionalText(14), row.optionalText(15)],
            lastUsageDate: try row.optionalDate(16), archivedAt: try row.optionalDate(17),
            retainUntil: try row.optionalDate(18), updatedAt: try row.optionalDate(19))
    }
}
