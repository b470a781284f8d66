import Foundation

/// One device's requested changes, for `StoreConnection.applyChanges(batch:at:)`.
struct DeviceUpdate {
    /// The stored device, as it is now.
    let device: DeviceRecord
    let changes: [DeviceField: String?]
}

extension StoreConnection {
    /// `applyChanges` for many devices, without a detail or a reason (inventory loads and carrier
    /// syncs), in few statements: devices that change the same fields are updated the engine's
    /// `rowsPerInsert` to a statement, and their history rows inserted the same way. On PostgreSQL
    /// a round trip per device is what made a changed inventory slow to load.
    ///
    /// A change of ICCID takes the one-device path, which consumes a spare SIM.
    ///
    /// - Returns: how many devices changed.
    /// - Throws: `StoreError.invalidValue` for text that does not fit its field.
    func applyChanges(batch updates: [DeviceUpdate], at date: Date) throws(StoreError) -> Int {
        var changed = 0
        var history: [[SQLValue]] = []
        var byFields: [[DeviceField]: [[SQLValue]]] = [:]
        for update in updates {
            guard let id = update.device.id, !update.changes.isEmpty else { continue }
            if update.changes[.iccid] != nil {
                if try !applyChanges(update.changes, to: update.device, at: date, detailID: nil).isEmpty {
                    changed += 1
                }
                continue
            }
            let effective = try Self.effectiveChanges(update.changes, to: update.device)
            guard !effective.isEmpty else { continue }
            let fields = effective.map(\.field)
            let row = [SQLValue(id)] + effective.map(\.value)
            history += effective.map { change in
                [
                    SQLValue(id), SQLValue(change.field.rawValue), SQLValue(change.before), SQLValue(change.after),
                    SQLValue(date),
                ]
            }
            changed += 1
            byFields[fields, default: []].append(row + [SQLValue(date)])
        }
        // In a fixed order, so the same load always runs the same statements.
        for (fields, rows) in byFields.sorted(by: {
            $0.key.map(\.rawValue).lexicographicallyPrecedes($1.key.map(\.rawValue))
        }) {
            try updateDevices(setting: fields, rows)
        }
        try insertHistory(history)
        return changed
    }

    /// Sets `fields` and `updated_at` of the devices in `rows` (id, the fields' values, the time).
    ///
    /// One device is a plain `UPDATE` (SQLite's batches are one row: measured faster than the
    /// join below). Several are `UPDATE … FROM (VALUES …)`: the first row's casts give the value
    /// columns their types, which PostgreSQL needs for parameters; both engines name the columns
    /// `column1…`.
    private func updateDevices(setting fields: [DeviceField], _ rows: [[SQLValue]]) throws(StoreError) {
        let columns = fields.map(\.column) + ["updated_at"]
        let types = ["BIGINT"] + fields.map(\.sqlType) + ["TEXT"]
        try runInBatches(rows, { "updating \($0) devices" }) { count in
            guard count > 1 else {
                let assignments = columns.enumerated().map { "\($1) = ?\($0 + 2)" }
                return "UPDATE device SET \(assignments.joined(separator: ", ")) WHERE id = ?1"
            }
            let assignments = columns.enumerated().map { "\($1) = v.column\($0 + 2)" }
            return """
                UPDATE device SET \(assignments.joined(separator: ", "))
                FROM (VALUES \(Self.valueTuples(count: count, width: types.count, casts: types))) AS v
                WHERE device.id = v.column1
                """
        }
    }

    /// Inserts inventory history rows (device, field, before, after, time), `rowsPerInsert` to a statement.
    private func insertHistory(_ rows: [[SQLValue]]) throws(StoreError) {
        try runInBatches(rows, { "recording the history of \($0) devices" }) { count in
            "INSERT INTO device_history (device_id, field, before_value, after_value, changed_at) VALUES "
                + Self.valueTuples(count: count, width: 5)
        }
    }
}

extension DeviceField {
    /// The SQL type a value of this field is cast to, understood by both engines.
    fileprivate var sqlType: String {
        switch kind {
        case .text, .date: "TEXT"
        case .number: "DOUBLE PRECISION"
        }
    }
}
