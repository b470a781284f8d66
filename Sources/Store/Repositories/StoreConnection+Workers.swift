import Foundation

extension StoreConnection {
    /// Records that the worker `owner` is alive at `date` (started at `startedAt`).
    public func beat(owner: String, host: String, pid: Int, startedAt: Date, at date: Date) throws(StoreError) {
        let sql = """
            INSERT INTO worker (owner, host, pid, started_at, heartbeat_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (owner) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
            """
        try run(
            "recording the heartbeat of \(owner)", sql,
            [SQLValue(owner), SQLValue(host), SQLValue(pid), SQLValue(startedAt), SQLValue(date)])
    }

    /// Forgets a worker that stopped cleanly, and every one whose last heartbeat is before `staleBefore`.
    public func forgetWorkers(owner: String, staleBefore: Date) throws(StoreError) {
        try run(
            "forgetting stopped workers", "DELETE FROM worker WHERE owner = ?1 OR heartbeat_at < ?2",
            [SQLValue(owner), SQLValue(staleBefore)])
    }

    /// Every worker known, most recent heartbeat first, each with the leases it holds live at `now`.
    public func workers(now: Date) throws(StoreError) -> [WorkerRecord] {
        let sql = """
            SELECT w.owner, w.host, w.pid, w.started_at, w.heartbeat_at, l.kind, l.item_id
            FROM worker AS w LEFT JOIN lease AS l ON l.owner = w.owner AND l.expires_at > ?1
            ORDER BY w.heartbeat_at DESC, w.owner, l.kind, l.item_id
            """
        var workers: [WorkerRecord] = []
        _ = try query("listing the workers", sql, [SQLValue(now)]) { row throws(StoreError) in
            let owner = row.text(0)
            if workers.last?.owner != owner {
                workers.append(
                    WorkerRecord(
                        owner: owner, host: row.text(1), pid: row.int(2), startedAt: try row.date(3),
                        heartbeatAt: try row.date(4), holds: []))
            }
            if let kind = row.optionalText(5) { workers[workers.count - 1].holds.append((kind, row.int64(6))) }
        }
        return workers
    }
}
