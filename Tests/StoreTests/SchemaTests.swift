import Foundation
import Testing

@testable import Store

@Suite("Store: schema versions")
struct SchemaTests {
    /// Writes a database file with the version-1 step only, as a BulkDrop of that version left it,
    /// and runs `data` on it.
    static func writeVersionOne(at path: String, data: String) throws {
        let versionOne = try #require(Schema.migrations.first { $0.version == 1 })
        let database = try SQLiteEngine(path: path)
        try database.execute(versionOne.sql, "applying schema migration 1")
        try database.execute("PRAGMA user_version = 1", "recording schema version 1")
        try database.execute(data, "seeding the version-1 file")
        #expect(throws: StoreError.self) { try database.execute("SELECT 1 FROM file_ledger", "reading the ledger") }
    }

    /// SQLite only: `INDEXED BY` is SQLite's; PostgreSQL's planner picks indexes by itself.
    @Test func freshFileIsAtTheNewestVersionWithTheLedgerAndItsIndexes() async throws {
        let newest = try #require(Schema.migrations.last?.version)
        #expect(Store.supportedSchemaVersion == newest)
        try await withTemporaryDirectory { directory in
            let path = directory.path("bulkdrop.sqlite")
            for _ in 0..<2 {  // created, then reopened: the migration is not applied again
                let store = try await Store.open(at: path)
                #expect(store.schemaVersion == newest)
                try await store.read { connection in
                    #expect(try connection.pragma("user_version") == "\(newest)")
                    // INDEXED BY fails when the index is missing or cannot serve the query.
                    try connection.execute(
                        """
                        SELECT id FROM file_ledger INDEXED BY file_ledger_content
                        WHERE tenant_id = 1 AND content_hash = 'h';
                        SELECT id FROM file_ledger INDEXED BY file_ledger_open
                        WHERE status = 'CLAIMED' ORDER BY claimed_at, id
                        """)
                }
                await store.close()
            }
        }
    }

    /// SQLite only: files of version 1 exist; every PostgreSQL database starts at the newest version.
    @Test func versionOneFileMigratesInPlaceKeepingItsData() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.path("bulkdrop.sqlite")
            try Self.writeVersionOne(
                at: path,
                data: """
                    INSERT INTO tenant (id, name) VALUES (7, 'acme');
                    INSERT INTO service_provider (id, name, integration, base_url, username, api_key_source,
                        writes_enabled, calls_per_second, max_in_flight, username_field)
                    VALUES (3, 'POD19 main', 'POD19', 'https://rws.example.com', 'api-user', 'env:POD19_API_KEY', 1, 5,
                        4, 'username');
                    INSERT INTO bulk_change (id, tenant_id, provider_id, change_type, source_file_name, content_hash,
                        status, created_at, finished_at)
                    VALUES (11, 7, 3, 'status-update', 'fleet.csv', 'abc', 'PROCESSED', '2026-11-27T10:00:00.000Z',
                        '2026-11-27T10:05:00.000Z');
                    INSERT INTO bulk_change_detail (bulk_change_id, row_number, iccid, status)
                    VALUES (11, 2, '89012600000000000001', 'PROCESSED');
                    """)

            let store = try await Store.open(at: path)
            #expect(store.schemaVersion == Store.supportedSchemaVersion)
            let (version, tenant, change) = try await store.read { connection in
                (
                    try connection.pragma("user_version"), try connection.tenantName(id: 7),
                    try connection.bulkChange(id: 11)
                )
            }
            #expect(version == "\(Store.supportedSchemaVersion)")
            #expect(tenant == "acme")
            #expect(
                change
                    == BulkChangeRecord(
                        id: 11, tenantID: 7, providerID: 3, changeType: "status-update", sourceFileName: "fleet.csv",
                        contentHash: "abc", status: "PROCESSED", counts: ["PROCESSED": 1],
                        createdAt: utc("2026-11-27T10:00:00Z"), finishedAt: utc("2026-11-27T10:05:00Z")))

            // The new table works with the rows the file already had.
            let entry = LedgerEntry(
                tenantID: 7, originalName: "fleet.csv", size: 120, contentHash: "abc",
                claimedAt: utc("2026-11-27T09:59:00Z"), processingPath: "/state/processing/fleet.csv",
                bulkChangeID: 11)
            let id = try await store.write { try $0.addLedgerEntry(entry) }
            await store.close()

            let reopened = try await Store.open(at: path)
            #expect(reopened.schemaVersion == Store.supportedSchemaVersion)
            let stored = try await reopened.read { try $0.ledgerEntry(id: id) }
            var expected = entry
            expected.id = id
            #expect(stored == expected)
            await reopened.close()
        }
    }
}
