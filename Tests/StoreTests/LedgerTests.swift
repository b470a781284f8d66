import Foundation
import Store
import TestSupport
import Testing

@Suite("Store: the file ledger")
struct LedgerTests {
    let now = utc("2026-11-27T10:00:00Z")

    /// A CLAIMED entry for `name`, claimed `minutes` after `now`.
    func claim(
        _ name: String, tenantID: Int64, hash: String = "h", minutes: Double = 0, status: LedgerStatus = .claimed
    ) -> LedgerEntry {
        LedgerEntry(
            tenantID: tenantID, originalName: name, size: 64, contentHash: hash,
            claimedAt: now.addingTimeInterval(minutes * 60), processingPath: "/state/processing/\(name)", status: status
        )
    }

    /// Adds the entries in order and returns their ids.
    func add(_ entries: [LedgerEntry], to store: Store) async throws -> [Int64] {
        try await store.write { connection in try entries.map { try connection.addLedgerEntry($0) } }
    }

    /// A bulk change of the fixture's tenant, to link entries to.
    func bulkChange(in store: Store, _ fixture: Fixture) async throws -> Int64 {
        try await store.write { [now] in
            try $0.createBulkChange(
                NewBulkChange(
                    tenantID: fixture.tenantID, providerID: fixture.providerID, changeType: "status-update",
                    sourceFileName: "fleet.csv", contentHash: "h", createdAt: now))
        }
    }

    @Test(arguments: TestEngine.allCases) func entryIsAddedLinkedMovedAndClosedOnce(on engine: TestEngine) async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let claimed = claim("fleet.csv", tenantID: fixture.tenantID)
            let id = try await add([claimed], to: store)[0]
            var expected = claimed
            expected.id = id
            #expect(try await store.read { try $0.ledgerEntry(id: id) } == expected)
            #expect(try await store.read { try $0.ledgerEntry(id: id + 1) } == nil)

            let changeID = try await bulkChange(in: store, fixture)
            let finished = now.addingTimeInterval(300)
            try await store.write { try $0.linkLedgerEntry(id: id, bulkChangeID: changeID) }
            try await store.write { try $0.updateLedgerPath(id: id, processingPath: "/state/archive/acme/fleet.csv") }
            try await store.write {
                try $0.closeLedgerEntry(id: id, status: .done, note: "bulk change 1", at: finished)
            }
            expected.bulkChangeID = changeID
            expected.processingPath = "/state/archive/acme/fleet.csv"
            expected.status = .done
            expected.note = "bulk change 1"
            expected.finishedAt = finished
            #expect(try await store.read { try $0.ledgerEntry(id: id) } == expected)

            let twice = await #expect(throws: StoreError.self) {
                try await store.write { try $0.closeLedgerEntry(id: id, status: .rejected, note: nil, at: finished) }
            }
            #expect(twice == .ledgerTransition(id: id, from: .done, to: .rejected))
            #expect(
                twice?.description.hasPrefix("file ledger entry \(id) cannot move to REJECTED: it is DONE;") == true)
            #expect(try await store.read { try $0.ledgerEntry(id: id) } == expected)  // the refused close left it
        }
    }

    @Test(arguments: TestEngine.allCases) func closingAsClaimedOrAnUnknownEntryIsRefused(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let id = try await add([claim("fleet.csv", tenantID: fixture.tenantID)], to: store)[0]
            await #expect(throws: StoreError.ledgerTransition(id: id, from: .claimed, to: .claimed)) {
                try await store.write { [now] in try $0.closeLedgerEntry(id: id, status: .claimed, note: nil, at: now) }
            }
            let unknown = StoreError.notFound(kind: "file ledger entry", id: id + 1)
            await #expect(throws: unknown) {
                try await store.write { [now] in
                    try $0.closeLedgerEntry(id: id + 1, status: .done, note: nil, at: now)
                }
            }
            await #expect(throws: unknown) {
                try await store.write { try $0.updateLedgerPath(id: id + 1, processingPath: "/elsewhere") }
            }
            let changeID = try await bulkChange(in: store, fixture)
            await #expect(throws: unknown) {
                try await store.write { try $0.linkLedgerEntry(id: id + 1, bulkChangeID: changeID) }
            }
            #expect(try await store.read { try $0.ledgerEntry(id: id)?.status } == .claimed)
        }
    }

    @Test(arguments: TestEngine.allCases) func openEntriesAreTheClaimedOnesOldestClaimFirst(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let ids = try await add(
                [
                    claim("c.csv", tenantID: fixture.tenantID, minutes: 3),
                    claim("a.csv", tenantID: fixture.otherTenantID, minutes: 1),
                    claim("d.csv", tenantID: fixture.tenantID, minutes: 4),
                    claim("b.csv", tenantID: fixture.tenantID, minutes: 2),
                    claim("e.csv", tenantID: fixture.tenantID, minutes: 0, status: .rejected),
                ], to: store)
            try await store.write { [now] in try $0.closeLedgerEntry(id: ids[2], status: .done, note: nil, at: now) }
            let open = try await store.read { try $0.openLedgerEntries() }
            #expect(open.map(\.originalName) == ["a.csv", "b.csv", "c.csv"])
            #expect(open.map(\.id) == [ids[1], ids[3], ids[0]])
            #expect(open.allSatisfy { $0.status == .claimed && $0.finishedAt == nil })
        }
    }

    @Test(arguments: TestEngine.allCases) func duplicateLookupFindsOnlyTheTenantsLatestDoneEntryWithThatHash(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let (acme, globex) = (fixture.tenantID, fixture.otherTenantID)
            let ids = try await add(
                [
                    claim("first.csv", tenantID: acme, minutes: 0, status: .done),
                    claim("second.csv", tenantID: acme, minutes: 1, status: .done),
                    claim("in-flight.csv", tenantID: acme, minutes: 2),
                    claim("bad.csv", tenantID: acme, minutes: 3, status: .rejected),
                    claim("again.csv", tenantID: acme, minutes: 4, status: .duplicate),
                    claim("other.csv", tenantID: acme, hash: "other", minutes: 5, status: .done),
                    claim("theirs.csv", tenantID: globex, minutes: 6, status: .done),
                    claim("only-claimed.csv", tenantID: globex, hash: "x", minutes: 7),
                    claim("only-rejected.csv", tenantID: globex, hash: "x", minutes: 8, status: .rejected),
                ], to: store)
            let found = try await store.read { connection in
                try [(acme, "h"), (globex, "h"), (acme, "other"), (globex, "x"), (acme, "x"), (globex, "other")].map {
                    try connection.processedLedgerEntry(tenantID: $0.0, contentHash: $0.1)?.id
                }
            }
            #expect(found == [ids[1], ids[6], ids[5], nil, nil, nil])

            // Closing the in-flight claim as DONE makes it the latest applied one.
            try await store.write { [now] in try $0.closeLedgerEntry(id: ids[2], status: .done, note: nil, at: now) }
            let latest = try await store.read { try $0.processedLedgerEntry(tenantID: acme, contentHash: "h") }
            #expect(latest?.id == ids[2])
            #expect(latest?.originalName == "in-flight.csv")
        }
    }

    @Test(arguments: TestEngine.allCases) func foreignKeysAndSizeAreEnforced(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let failures: [LedgerEntry] = [
                claim("nobody.csv", tenantID: 999),
                LedgerEntry(
                    tenantID: fixture.tenantID, originalName: "orphan.csv", size: 1, contentHash: "h", claimedAt: now,
                    processingPath: "/p", bulkChangeID: 999),
            ]
            for entry in failures {
                let error = await #expect(throws: StoreError.self) {
                    try await store.write { try $0.addLedgerEntry(entry) }
                }
                guard case .constraintViolation(_, _, let message) = error else {
                    Issue.record("expected a constraint violation, got \(String(describing: error))")
                    continue
                }
                #expect(message.contains("FOREIGN KEY"))
            }

            var negative = claim("negative.csv", tenantID: fixture.tenantID)
            negative.size = -1
            let sizeError = await #expect(throws: StoreError.self) {
                try await store.write { [negative] in try $0.addLedgerEntry(negative) }
            }
            #expect(sizeError?.description.contains("CHECK constraint failed") == true)

            let id = try await add([claim("fleet.csv", tenantID: fixture.tenantID)], to: store)[0]
            let linkError = await #expect(throws: StoreError.self) {
                try await store.write { try $0.linkLedgerEntry(id: id, bulkChangeID: 999) }
            }
            #expect(linkError?.description.contains("FOREIGN KEY constraint failed") == true)
            #expect(try await store.read { try $0.ledgerEntry(id: id)?.bulkChangeID } == Int64?.none)
            #expect(try await store.read { try $0.recentLedgerEntries(limit: 10).count } == 1)
        }
    }

    @Test(arguments: TestEngine.allCases) func recentEntriesAreNewestClaimFirstAcrossTenantsAndStatuses(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let ids = try await add(
                [
                    claim("b.csv", tenantID: fixture.tenantID, minutes: 2, status: .done),
                    claim("c.csv", tenantID: fixture.otherTenantID, minutes: 3),
                    claim("a.csv", tenantID: fixture.tenantID, minutes: 1, status: .rejected),
                    claim("same-time.csv", tenantID: fixture.tenantID, minutes: 3),
                ], to: store)
            let (two, all, none) = try await store.read { connection in
                (
                    try connection.recentLedgerEntries(limit: 2), try connection.recentLedgerEntries(limit: 10),
                    try connection.recentLedgerEntries(limit: 0)
                )
            }
            #expect(two.map(\.id) == [ids[3], ids[1]])  // the same claim time: the later entry first
            #expect(all.map(\.originalName) == ["same-time.csv", "c.csv", "b.csv", "a.csv"])
            #expect(none.isEmpty)
            await #expect(
                throws: StoreError.invalidValue(field: "number of ledger entries", value: "-1", expected: "0 or more")
            ) {
                try await store.read { try $0.recentLedgerEntries(limit: -1) }
            }
        }
    }

    @Test func statusesAreStoredAsTheirNames() {
        #expect(LedgerStatus.allCases.map(\.rawValue) == ["CLAIMED", "DONE", "DUPLICATE", "REJECTED"])
    }
}
