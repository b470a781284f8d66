import Foundation

extension StoreConnection {
    /// Sets device fields from text and records one history row per field that really changed.
    ///
    /// Values are text as a CSV row carries them: dates in ISO-8601 (`2026-11-27T10:00:00Z`),
    /// numbers as decimals (`512`, `0.5`); nil or empty text clears a field. A value equal to the
    /// stored one (`512.0` for `512`) is no change. `updatedAt` moves to `date` when anything changed.
    ///
    /// - Returns: the changed fields with their before and after text, in `DeviceField` order.
    /// - Throws: `StoreError.notFound` for an unknown device, `.invalidValue` for text that does
    ///   not fit its field, `.constraintViolation` for an ICCID another device already has.
    public func updateDevice(
        id: Int64, changes: [DeviceField: String?], at date: Date, detailID: Int64?, reason: String? = nil
    ) throws(StoreError) -> [DeviceChange] {
        guard let device = try device(id: id) else { throw .notFound(kind: "device", id: id) }
        return try applyChanges(changes, to: device, at: date, detailID: detailID, reason: reason)
    }

    /// Every recorded change of the device, oldest first; archival keeps them all.
    public func history(deviceID: Int64) throws(StoreError) -> [DeviceHistoryEntry] {
        let sql = """
            SELECT field, before_value, after_value, changed_at, detail_id, reason FROM device_history
            WHERE device_id = ?1 ORDER BY changed_at, id
            """
        return try query("reading the history of device \(deviceID)", sql, [SQLValue(deviceID)]) {
            row throws(StoreError) in try Self.historyEntry(from: row)
        }
    }

    /// A history row read as `field, before_value, after_value, changed_at, detail_id, reason`.
    private static func historyEntry(from row: Row) throws(StoreError) -> DeviceHistoryEntry {
        guard let field = DeviceField(rawValue: row.text(0)) else {
            throw .invalidValue(field: "device_history.field", value: row.text(0), expected: "a device field name")
        }
        return DeviceHistoryEntry(
            field: field, before: row.optionalText(1), after: row.optionalText(2), changedAt: try row.date(3),
            detailID: row.optionalInt64(4), reason: row.optionalText(5))
    }

    /// The device changes the bulk change's rows made, by detail id, oldest first: what each row
    /// changed, with the value before it (what an undo sets back).
    public func history(bulkChangeID: Int64) throws(StoreError) -> [Int64: [DeviceHistoryEntry]] {
        let sql = """
            SELECT h.field, h.before_value, h.after_value, h.changed_at, h.detail_id, h.reason
            FROM device_history AS h JOIN bulk_change_detail AS d ON d.id = h.detail_id
            WHERE d.bulk_change_id = ?1 ORDER BY h.changed_at, h.id
            """
        let entries = try query("reading the changes of bulk change \(bulkChangeID)", sql, [SQLValue(bulkChangeID)]) {
            row throws(StoreError) in try Self.historyEntry(from: row)
        }
        return Dictionary(grouping: entries) { $0.detailID ?? 0 }
    }

    /// Takes what the carrier reports for devices that exist at the provider (any tenant),
    /// recording history; unknown ICCIDs and fields the snapshot leaves nil are skipped. The stored
    /// devices are read, and the changes written, in batches (`applyChanges(batch:at:)`).
    ///
    /// - Returns: how many devices changed (a device reported twice counts each time it changed).
    public func applyCarrierSnapshot(providerID: Int64, devices: [CarrierDeviceSnapshot], at date: Date)
        throws(StoreError) -> Int
    {
        var stored = try self.devices(tenantID: nil, providerID: providerID, iccids: devices.map(\.iccid))
        var changed = 0
        var updates: [DeviceUpdate] = []
        var seen: Set<String> = []
        for snapshot in devices {
            if !seen.insert(snapshot.iccid).inserted {
                // Reported again: the first report may have changed it, so write that and read it afresh.
                changed += try applyChanges(batch: updates, at: date)
                updates = []
                stored[snapshot.iccid] = try device(providerID: providerID, iccid: snapshot.iccid)
            }
            guard let device = stored[snapshot.iccid] else { continue }
            var changes: [DeviceField: String?] = [:]
            if let status = snapshot.status { changes[.status] = status }
            if let plan = snapshot.carrierRatePlan { changes[.carrierRatePlan] = plan }
            if let plan = snapshot.communicationPlan { changes[.communicationPlan] = plan }
            updates.append(DeviceUpdate(device: device, changes: changes))
        }
        return changed + (try applyChanges(batch: updates, at: date))
    }

    /// Applies `changes` to the stored `device`, which must be its current state.
    func applyChanges(
        _ changes: [DeviceField: String?], to device: DeviceRecord, at date: Date, detailID: Int64?,
        reason: String? = nil
    ) throws(StoreError) -> [DeviceChange] {
        guard let id = device.id, !changes.isEmpty else { return [] }
        var applied: [DeviceChange] = []
        for (field, value, before, after) in try Self.effectiveChanges(changes, to: device) {
            if field == .iccid, let after { try consumeSpare(iccid: after, providerID: device.providerID, for: id) }
            try run(
                "updating \(field.rawValue) of device \(id)", "UPDATE device SET \(field.column) = ?2 WHERE id = ?1",
                [SQLValue(id), value])
            let sql = """
                INSERT INTO device_history (device_id, field, before_value, after_value, changed_at, detail_id, reason)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """
            try run(
                "recording the history of device \(id)", sql,
                [
                    SQLValue(id), SQLValue(field.rawValue), SQLValue(before), SQLValue(after), SQLValue(date),
                    SQLValue(detailID), SQLValue(reason),
                ])
            if field == .iccid, let before { try keepReplacedSIM(before, of: device, at: date) }
            applied.append(DeviceChange(field: field, before: before, after: after))
        }
        if !applied.isEmpty {
            try run(
                "touching device \(id)", "UPDATE device SET updated_at = ?2 WHERE id = ?1",
                [SQLValue(id), SQLValue(date)])
        }
        return applied
    }

    /// The fields of `changes` that really change `device`, in `DeviceField` order, each with the
    /// value to store and its text before and after (`512.0` for a stored `512` is no change).
    ///
    /// - Throws: `StoreError.invalidValue` for text that does not fit its field.
    static func effectiveChanges(_ changes: [DeviceField: String?], to device: DeviceRecord)
        throws(StoreError) -> [(field: DeviceField, value: SQLValue, before: String?, after: String?)]
    {
        var effective: [(field: DeviceField, value: SQLValue, before: String?, after: String?)] = []
        for field in DeviceField.allCases {
            guard let requested = changes[field] else { continue }
            let (value, after) = try field.parse(requested)
            let before = device.text(for: field)
            if after != before { effective.append((field, value, before, after)) }
        }
        return effective
    }

    /// Removes the record of the SIM `iccid` that a SIM swap just put into device `id`: the swapped
    /// device carries the ICCID (and its history says so) from now on. Only a SIM of the same
    /// tenant that is not in use (INVENTORY, ACTIVATION_READY, TEST_READY or DEACTIVATED, not archived)
    /// is consumed; any other holder of the
    /// ICCID is a conflict.
    ///
    /// - Throws: `StoreError.constraintViolation` when another device uses the ICCID.
    private func consumeSpare(iccid: String, providerID: Int64, for id: Int64) throws(StoreError) {
        guard let holder = try device(providerID: providerID, iccid: iccid), let spareID = holder.id, spareID != id
        else { return }
        let unused = ["INVENTORY", "ACTIVATION_READY", "TEST_READY", "DEACTIVATED"]
        guard try device(id: id)?.tenantID == holder.tenantID, unused.contains(holder.status ?? ""),
            holder.archivedAt == nil
        else {
            throw .constraintViolation(
                operation: "swapping device \(id) to ICCID \(iccid)", sql: nil,
                message: "the ICCID is the SIM of another device (\(spareID)), not a spare of the same tenant")
        }
        try run(
            "removing the history of spare SIM \(iccid)", "DELETE FROM device_history WHERE device_id = ?1",
            [SQLValue(spareID)])
        try run("removing spare SIM \(iccid)", "DELETE FROM device WHERE id = ?1", [SQLValue(spareID)])
    }

    /// Keeps the SIM a swap took out of device `device` as the tenant's, DEACTIVATED: it may be
    /// made a spare again on Control Center, and `undo` may swap it back.
    private func keepReplacedSIM(_ iccid: String, of device: DeviceRecord, at date: Date) throws(StoreError) {
        guard try self.device(providerID: device.providerID, iccid: iccid) == nil else { return }
        try insertDevice(
            DeviceRecord(tenantID: device.tenantID, providerID: device.providerID, iccid: iccid, status: "DEACTIVATED"),
            at: date)
    }
}
