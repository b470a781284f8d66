extension StoreConnection {
    /// Runs `rows` through statements of the engine's `rowsPerInsert` rows each (one on SQLite,
    /// where a prepared statement per row is fastest; many on PostgreSQL, where each statement is a
    /// round trip). `statement` makes the SQL for a batch of that many rows; `operation` names the
    /// work for errors.
    func runInBatches(
        _ rows: [[SQLValue]], _ operation: (Int) -> String, statement: (Int) -> String
    ) throws(StoreError) {
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + engine.rowsPerInsert, rows.count)]
            start = batch.endIndex
            try run(
                operation(batch.count), statement(batch.count), batch.flatMap { $0 },
                cached: batch.count == engine.rowsPerInsert || batch.count == 1)
        }
    }

    /// `(?1, ?2), (?3, ?4)`: `count` rows of `width` parameters, for a `VALUES` list. With `casts`
    /// (one SQL type per column) the first row's parameters are cast, which gives the columns of a
    /// `VALUES` list in a `FROM` their types on PostgreSQL.
    static func valueTuples(count: Int, width: Int, casts: [String]? = nil) -> String {
        (0..<count).map { index in
            "("
                + (0..<width).map { column in
                    let parameter = "?\(index * width + column + 1)"
                    guard index == 0, let casts else { return parameter }
                    return "CAST(\(parameter) AS \(casts[column]))"
                }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }
}
