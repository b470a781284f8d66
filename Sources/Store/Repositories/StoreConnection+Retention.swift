import Foundation

extension StoreConnection {
    /// Removes up to `limit` archived devices whose retention date is at or before `date`, with the
    /// rows that point at them (their history, their applied rate plan queue entries), and returns
    /// what went. Bulk changes, their details and logs keep the ICCID as text and stay. A device
    /// with a queued rate plan change not applied or not reported yet waits until it is.
    public func purgeExpiredDevices(asOf date: Date, limit: Int) throws(StoreError) -> [PurgedDevice] {
        let select = """
            SELECT v.id, v.tenant_id, v.iccid, v.archived_at, v.retain_until FROM device AS v
            WHERE v.archived_at IS NOT NULL AND v.retain_until <= ?1
                AND NOT EXISTS (
                    SELECT 1 FROM rate_plan_queue AS q LEFT JOIN schedule_run AS r ON r.id = q.run_id
                    WHERE q.device_id = v.id AND (q.applied_at IS NULL OR (q.run_id IS NOT NULL AND r.reported_at IS NULL)))
            ORDER BY v.retain_until, v.id LIMIT ?2
            """
        let expired = try query(
            "finding archived devices past their retention", select, [SQLValue(date), SQLValue(limit)]
        ) { row throws(StoreError) in
            PurgedDevice(
                deviceID: row.int64(0), tenantID: row.int64(1), iccid: row.text(2), archivedAt: try row.date(3),
                retainUntil: try row.date(4), historyRows: 0)
        }
        var purged: [PurgedDevice] = []
        for var device in expired {
            let id = [SQLValue(device.deviceID)]
            device.historyRows = try run(
                "removing the history of device \(device.deviceID)", "DELETE FROM device_history WHERE device_id = ?1",
                id)
            try run(
                "removing the applied queue entries of device \(device.deviceID)",
                "DELETE FROM rate_plan_queue WHERE device_id = ?1", id)
            try run("removing device \(device.deviceID)", "DELETE FROM device WHERE id = ?1", id)
            purged.append(device)
        }
        return purged
    }
}
