import Foundation

/// `bulkdrop migrate`: copies a store (a SQLite file) into another (a PostgreSQL database), table
/// by table in the order their keys need, keeping every id, and checks the counts.
///
/// It can be run again after a failure: each table continues after the largest id already copied
/// (tables without one are copied again, their rows already there left alone). Leases, worker
/// heartbeats, call budgets and the workers' calls per minute are not copied: they belong to the
/// processes running at the time, and a migration runs with every process stopped.
public struct StoreCopy: Sendable {
    /// One table's rows in the source and in the target after the copy.
    public struct TableCount: Sendable, Equatable {
        public let table: String
        public let source: Int
        public let target: Int
    }

    /// The tables copied, parents before the rows that refer to them.
    static let tables = [
        "tenant", "service_provider", "device", "carrier_rate_plan", "communication_plan", "customer_rate_plan",
        "customer_pool", "bulk_change", "bulk_change_detail", "device_history", "detail_log", "schedule_run",
        "rate_plan_queue", "scheduled_change", "file_ledger", "notification", "carrier_edit", "confirmation",
        "provider_sync",
    ]

    /// Rows read and written at a time.
    static let batch = 500

    let source: Store
    let target: Store

    public init(from source: Store, to target: Store) {
        self.source = source
        self.target = target
    }

    /// Copies every table, telling `progress` each table's name and rows copied so far, and returns
    /// the counts of both sides.
    ///
    /// - Throws: `StoreError` when a side cannot be read or written; what was copied is kept, and
    ///   running it again continues.
    public func run(progress: @Sendable (String, Int) -> Void) async throws(StoreError) -> [TableCount] {
        var counts: [TableCount] = []
        for table in Self.tables {
            let columns = try await source.read { connection in try connection.columns(of: table) }
            let keyed = columns.contains("id")
            var after = keyed ? try await target.read { try $0.largestID(in: table) } : Int64.min
            var copied = 0
            while true {
                let rows = try await source.read { [after, copied] connection in
                    try connection.rows(of: table, columns: columns, keyedAfter: keyed ? after : nil, offset: copied)
                }
                if rows.isEmpty { break }
                try await target.write { connection in
                    try connection.insert(rows, into: table, columns: columns)
                }
                copied += rows.count
                if keyed, case .integer(let last) = rows[rows.count - 1][columns.firstIndex(of: "id") ?? 0] {
                    after = last
                }
                progress(table, copied)
            }
            let (sourceCount, targetCount) = (
                try await source.read { try $0.count(of: table) }, try await target.read { try $0.count(of: table) }
            )
            counts.append(TableCount(table: table, source: sourceCount, target: targetCount))
        }
        try await target.write { connection in try connection.restartIdentities(of: Self.tables) }
        return counts
    }
}

extension StoreConnection {
    /// The table's column names, in their order.
    func columns(of table: String) throws(StoreError) -> [String] {
        try query(
            "reading the columns of \(table)", "SELECT name FROM pragma_table_info(?1) ORDER BY cid", [.text(table)]
        ) {
            $0.text(0)
        }
    }

    /// The largest id in `table` (0 when empty).
    func largestID(in table: String) throws(StoreError) -> Int64 {
        try queryFirst("reading the largest id of \(table)", "SELECT COALESCE(MAX(id), 0) FROM \(table)") {
            $0.int64(0)
        } ?? 0
    }

    /// How many rows `table` holds.
    func count(of table: String) throws(StoreError) -> Int {
        try queryFirst("counting \(table)", "SELECT COUNT(*) FROM \(table)") { $0.int(0) } ?? 0
    }

    /// The next batch of rows: after id `keyedAfter` in id order, or else `offset` rows in.
    func rows(of table: String, columns: [String], keyedAfter: Int64?, offset: Int) throws(StoreError) -> [[SQLValue]] {
        let list = columns.joined(separator: ", ")
        let sql =
            keyedAfter == nil
            ? "SELECT \(list) FROM \(table) ORDER BY \(list) LIMIT \(StoreCopy.batch) OFFSET ?1"
            : "SELECT \(list) FROM \(table) WHERE id > ?1 ORDER BY id LIMIT \(StoreCopy.batch)"
        let from = keyedAfter.map { SQLValue.integer($0) } ?? .integer(Int64(offset))
        return try query("reading \(table)", sql, [from]) { row in
            (0..<Int32(columns.count)).map { row.value($0) }
        }
    }

    /// Inserts `rows` with their ids; rows already there are left as they are.
    func insert(_ rows: [[SQLValue]], into table: String, columns: [String]) throws(StoreError) {
        let sql =
            "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Self.valueTuples(count: rows.count, width: columns.count) + " ON CONFLICT DO NOTHING"
        try run("copying \(rows.count) rows into \(table)", sql, rows.flatMap { $0 })
    }

    /// After rows were inserted with their ids, the next id of each table follows the largest.
    func restartIdentities(of tables: [String]) throws(StoreError) {
        guard engine is PostgresEngine else { return }
        for table in tables where try columns(ofTarget: table).contains("id") {
            try run(
                "restarting the ids of \(table)",
                "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), GREATEST(MAX(id), 1)) FROM \(table)")
        }
    }

    /// The column names of a PostgreSQL table.
    private func columns(ofTarget table: String) throws(StoreError) -> [String] {
        try query(
            "reading the columns of \(table)",
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?1", [.text(table)]
        ) { $0.text(0) }
    }
}
