import Foundation
import Store

/// The name a bulk change's outbox files carry. The first drop of `x.csv` for a tenant gets
/// `x.results.csv`; a later drop of the same name (a nightly `x.csv`, or `x.json` beside `x.csv`)
/// gets `x.<bulk change id>.results.csv`, so the files of one drop never replace another's.
enum ResultStem {
    /// Picks and records the stem of bulk change `id`, inside the transaction that records it: a
    /// stem is taken when another bulk change of the tenant has it, or when its results file is in
    /// the outbox already (left by a bulk change stored before stems were kept).
    static func assign(
        bulkChangeID id: Int64, tenantID: Int64, sourceFile: String, outbox: OutboxWriter, tenant: String,
        in connection: StoreConnection
    ) throws(StoreError) -> String {
        let base = OutboxWriter.stem(of: sourceFile)
        var candidates = [base, "\(base).\(id)"]
        candidates += (2...9).map { "\(base).\(id)-\($0)" }
        for stem in candidates {
            let inOutbox = FileManager.default.fileExists(atPath: outbox.paths(tenant: tenant, stem: stem).results)
            guard !inOutbox, try !connection.resultStemTaken(tenantID: tenantID, stem: stem) else { continue }
            try connection.setResultStem(bulkChangeID: id, stem: stem)
            return stem
        }
        // Ten names taken by hand-made files: the id with a unique tail still keeps history.
        let stem = "\(base).\(id)-\(UUID().uuidString.prefix(8).lowercased())"
        try connection.setResultStem(bulkChangeID: id, stem: stem)
        return stem
    }
}
