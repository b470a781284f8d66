extension StoreConnection {
    /// Records the worker `owner`'s calls per provider and minute (a minute written again takes the
    /// new count), and removes every worker's minutes before `keepingFrom`.
    public func recordCallMinutes(owner: String, _ minutes: [CallMinute], keepingFrom: Int64) throws(StoreError) {
        let sql = """
            INSERT INTO call_minute (provider, minute, owner, calls) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (provider, minute, owner) DO UPDATE SET calls = excluded.calls
            """
        for minute in minutes {
            try run(
                "recording the calls of \(owner)", sql,
                [SQLValue(minute.provider), SQLValue(minute.minute), SQLValue(owner), SQLValue(minute.calls)])
        }
        try run(
            "removing old call minutes", "DELETE FROM call_minute WHERE minute < ?1", [SQLValue(keepingFrom)])
    }

    /// Every worker's calls per provider and minute from minute `from` on, summed over the workers,
    /// leaving out `excludedOwner` (the reader, which knows its own calls better).
    public func callMinutes(from: Int64, excluding excludedOwner: String) throws(StoreError) -> [CallMinute] {
        let sql = """
            SELECT provider, minute, SUM(calls) FROM call_minute WHERE minute >= ?1 AND owner <> ?2
            GROUP BY provider, minute ORDER BY provider, minute
            """
        return try query("reading the calls per minute", sql, [SQLValue(from), SQLValue(excludedOwner)]) {
            CallMinute(provider: $0.text(0), minute: $0.int64(1), calls: $0.int(2))
        }
    }
}
