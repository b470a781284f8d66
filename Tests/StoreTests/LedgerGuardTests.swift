import Foundation
import Store
import TestSupport
import Testing

/// The ledger's guards: an entry is never closed while its bulk change has rows without an
/// outcome, a file that was never read is nobody's duplicate, and a closed entry says where its
/// file went.
@Suite("Store: ledger guards and injected faults")
struct LedgerGuardTests {
    let now = utc("2026-11-27T10:00:00Z")
    static let hash = String(repeating: "ab", count: 32)

    /// A CLAIMED entry linked to a new bulk change with one detail in `status`; their ids.
    func claimWithRow(_ status: String, in store: Store) async throws -> (ledger: Int64, detail: Int64) {
        let fixture = try await Fixture.make(in: store)
        return try await store.write { [now] connection in
            let change = try connection.createBulkChange(
                NewBulkChange(
                    tenantID: fixture.tenantID, providerID: fixture.providerID, changeType: "status-update",
                    sourceFileName: "fleet.csv", contentHash: Self.hash, createdAt: now))
            let detail = try connection.insertDetails(
                bulkChangeID: change,
                [NewDetail(rowNumber: 1, iccid: "8901", requestJSON: "{}", status: "PENDING", message: nil)])[0]
            if status != "PENDING" { try connection.markProcessing(detailID: detail) }
            let ledger = try connection.addLedgerEntry(
                LedgerEntry(
                    tenantID: fixture.tenantID, originalName: "fleet.csv", size: 10, contentHash: Self.hash,
                    claimedAt: now, processingPath: "/state/processing/fleet.csv"))
            try connection.linkLedgerEntry(id: ledger, bulkChangeID: change)
            return (ledger, detail)
        }
    }

    @Test(arguments: TestEngine.allCases, ["PENDING", "PROCESSING"])
    func entryWithAnOpenRowIsNeverClosed(on engine: TestEngine, status: String) async throws {
        try await withStore(on: engine) { store in
            let (ledger, detail) = try await claimWithRow(status, in: store)
            for outcome in [LedgerStatus.done, .duplicate, .rejected] {
                let error = await #expect(throws: StoreError.self) {
                    try await store.write { [now] in
                        try $0.closeLedgerEntry(id: ledger, status: outcome, note: nil, at: now)
                    }
                }
                #expect(error == .ledgerHasOpenRows(id: ledger, open: 1))
            }
            #expect(try await store.read { try $0.ledgerEntry(id: ledger)?.status } == .claimed)

            try await store.write { [now] connection in
                if status == "PENDING" { try connection.markProcessing(detailID: detail) }
                try connection.finishDetail(
                    detailID: detail, status: "PROCESSED", message: nil, oldValue: nil, newValue: nil, attempts: 1,
                    at: now)
                try connection.closeLedgerEntry(
                    id: ledger, status: .done, note: "bulk change 1", at: now, movedTo: "/state/archive/fleet.csv")
            }
            let closed = try await store.read { try $0.ledgerEntry(id: ledger) }
            #expect(closed?.status == .done)
            #expect(closed?.processingPath == "/state/archive/fleet.csv", "the entry says where the file went")
        }
    }

    @Test(arguments: TestEngine.allCases) func fileNeverReadIsNobodysDuplicate(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            _ = try await store.write { [now] connection in
                try connection.addLedgerEntry(
                    LedgerEntry(
                        tenantID: fixture.tenantID, originalName: "a.csv", size: 1, contentHash: "", claimedAt: now,
                        processingPath: "/p/a.csv", status: .done))
            }
            let error = await #expect(throws: StoreError.self) {
                try await store.read { try $0.processedLedgerEntry(tenantID: fixture.tenantID, contentHash: "") }
            }
            guard case .invalidValue(let field, _, _) = error else {
                Issue.record("expected invalidValue, got \(String(describing: error))")
                return
            }
            #expect(field == "content hash")
            #expect(try await store.read { try $0.ledgerNames(path: "/p/a.csv") })
            #expect(try await !store.read { try $0.ledgerNames(path: "/p/b.csv") })
        }
    }

    @Test(arguments: TestEngine.allCases) func hashIsRecordedOnceReadAndAHoldSaysWhy(on engine: TestEngine) async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let id = try await store.write { [now] connection in
                try connection.addLedgerEntry(
                    LedgerEntry(
                        tenantID: fixture.tenantID, originalName: "a.csv", size: 1, contentHash: "", claimedAt: now,
                        processingPath: "/p/a.csv"))
            }
            try await store.write { try $0.holdLedgerEntry(id: id, reason: "EIO") }
            #expect(try await store.read { try $0.ledgerEntry(id: id)?.note } == "held: EIO")
            await #expect(throws: StoreError.self) {
                try await store.write { try $0.setLedgerHash(id: id, contentHash: "not-a-hash") }
            }
            try await store.write { try $0.setLedgerHash(id: id, contentHash: Self.hash) }
            let entry = try await store.read { try $0.ledgerEntry(id: id) }
            #expect(entry?.contentHash == Self.hash)
            #expect(entry?.note == nil, "the hold is lifted")
        }
    }

    @Test(arguments: TestEngine.allCases) func injectedFaultFailsExactlyThePickedWritesAndKeepsNothingOfThem(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let faults = StoreFaults.write(2)
            store.injectFaults(faults)
            _ = try await store.write { try $0.ensureTenant(named: "one") }
            let error = await #expect(throws: StoreError.self) {
                try await store.write { try $0.ensureTenant(named: "two") }
            }
            guard case .sqlite(let operation, _, let code, _) = error else {
                Issue.record("expected an SQLite I/O error, got \(String(describing: error))")
                return
            }
            #expect(operation.contains("write 2"))
            #expect(code == 10)
            _ = try await store.write { try $0.ensureTenant(named: "three") }
            #expect(faults.attempted == 3)
            store.injectFaults(nil)
            let names = try await store.read { try Set($0.tenantNames().values) }
            #expect(names == ["one", "three"], "the failed write kept nothing")
        }
    }
}
