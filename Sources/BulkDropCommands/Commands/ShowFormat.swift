import Foundation
import Pipeline
import Store

/// How `bulkdrop show` writes a bulk change and its rows.
enum ShowFormat {
    static func textHead(_ change: BulkChangeRecord, tenant: String) -> String {
        let counts = change.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        return "bulk change \(change.id): \(tenant) \(change.changeType) \(change.sourceFileName) \(change.status)"
            + (counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))") + "\n"
    }

    static func text(_ row: DetailRecord) -> String {
        "row \(row.rowNumber) \(row.iccid) \(row.status)" + (row.message.map { ": \($0)" } ?? "") + "\n"
    }

    static func jsonHead(_ change: BulkChangeRecord, tenant: String) -> String {
        let head = Head(
            id: change.id, tenant: tenant, changeType: change.changeType, sourceFile: change.sourceFileName,
            status: change.status, counts: change.counts.filter { $0.value > 0 },
            createdAt: iso8601(change.createdAt), finishedAt: change.finishedAt.map(iso8601))
        return "{\"bulkChange\": " + encode(head) + ", \"rows\": ["
    }

    static func json(_ row: DetailRecord) -> String {
        encode(
            Row(
                row: row.rowNumber, iccid: row.iccid, outcome: row.status, message: row.message,
                oldValue: row.oldValue, newValue: row.newValue, processedAt: row.processedAt.map(iso8601)))
    }

    private struct Head: Encodable {
        let id: Int64
        let tenant: String
        let changeType: String
        let sourceFile: String
        let status: String
        let counts: [String: Int]
        let createdAt: String
        let finishedAt: String?
    }

    private struct Row: Encodable {
        let row: Int
        let iccid: String
        let outcome: String
        let message: String?
        let oldValue: String?
        let newValue: String?
        let processedAt: String?
    }

    /// `2026-11-28T03:00:00Z`.
    private static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "null"
    }
}
