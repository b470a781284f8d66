import Foundation
import Store
import TestSupport
import Testing

@Suite("Store: bulk changes and their details")
struct BulkChangeTests {
    let now = utc("2026-11-27T10:00:00Z")

    /// A bulk change with one detail per status, inserted PENDING and then driven to that status.
    func bulkChange(in store: Store, finalStatuses: [String]) async throws -> Int64 {
        let fixture = try await Fixture.make(in: store)
        return try await store.write { [now] connection in
            let id = try connection.createBulkChange(
                NewBulkChange(
                    tenantID: fixture.tenantID, providerID: fixture.providerID, changeType: "status-update",
                    sourceFileName: "fleet.csv", contentHash: "sha256:abc", createdAt: now))
            let rows = finalStatuses.enumerated().map { offset, status in
                NewDetail(
                    rowNumber: offset + 2, iccid: iccid(offset), status: status == "REJECTED" ? "REJECTED" : "PENDING")
            }
            let detailIDs = try connection.insertDetails(bulkChangeID: id, rows)
            for (detailID, status) in zip(detailIDs, finalStatuses) where !["PENDING", "REJECTED"].contains(status) {
                try connection.markProcessing(detailID: detailID)
                if status != "PROCESSING" {
                    try connection.finishDetail(
                        detailID: detailID, status: status, message: nil, oldValue: nil, newValue: nil, attempts: 1,
                        at: now)
                }
            }
            return id
        }
    }

    @Test(
        arguments: TestEngine.allCases,
        [
            ([String](), "PROCESSED"),
            (["PROCESSED", "UNCHANGED", "SCHEDULED"], "PROCESSED"),
            (["PROCESSED", "FAILED", "REJECTED"], "COMPLETED_WITH_ERRORS"),
            (["FAILED", "REJECTED"], "FAILED"),
            (["REJECTED"], "FAILED"),
            (["PROCESSED", "PENDING", "FAILED"], "PROCESSING"),
            (["PROCESSED", "PROCESSING"], "PROCESSING"),
        ])
    func finishDerivesStatusAndCountsFromDetails(on engine: TestEngine, example: ([String], String)) async throws {
        let (statuses, expected) = example
        try await withStore(on: engine) { store in
            let id = try await bulkChange(in: store, finalStatuses: statuses)
            let finished = try await store.write { [now] in try $0.finishBulkChange(id: id, at: now) }
            #expect(finished.status == expected)
            #expect(finished.counts == Dictionary(statuses.map { ($0, 1) }, uniquingKeysWith: +))
            #expect(finished.finishedAt == (expected == "PROCESSING" ? nil : now))
            let details = try await store.read { try $0.details(bulkChangeID: id) }
            #expect(details.map(\.status) == statuses)
        }
    }

    @Test(arguments: TestEngine.allCases) func bulkChangesAreFoundByContentHashAndStartKeepsTheFirstTime(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let id = try await bulkChange(in: store, finalStatuses: ["PENDING"])
            let later = now.addingTimeInterval(60)
            try await store.write { [now] in try $0.markBulkChangeStarted(id: id, at: now) }
            try await store.write { try $0.markBulkChangeStarted(id: id, at: later) }
            let fixture = try await Fixture.make(in: store)
            let (found, missing) = try await store.read {
                (
                    try $0.bulkChanges(tenantID: fixture.tenantID, contentHash: "sha256:abc"),
                    try $0.bulkChanges(tenantID: fixture.otherTenantID, contentHash: "sha256:abc")
                )
            }
            #expect(found.count == 1)
            #expect(missing.isEmpty)
            let change = try #require(found.first)
            #expect(
                change
                    == BulkChangeRecord(
                        id: id, tenantID: fixture.tenantID, providerID: fixture.providerID, changeType: "status-update",
                        sourceFileName: "fleet.csv", contentHash: "sha256:abc", status: "PROCESSING",
                        counts: ["PENDING": 1],
                        createdAt: now, startedAt: now))
            await #expect(throws: StoreError.notFound(kind: "bulk change", id: 99)) {
                try await store.write { [now] in try $0.markBulkChangeStarted(id: 99, at: now) }
            }
        }
    }

    @Test(arguments: TestEngine.allCases) func bulkChangesAreListedByStatusOldestFirstAndRecentNewestFirst(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let ids = try await store.write { [now] connection in
                let ids = try [3, 0, 2, 1, 2].map { minutes in
                    try connection.createBulkChange(
                        NewBulkChange(
                            tenantID: minutes == 1 ? fixture.otherTenantID : fixture.tenantID,
                            providerID: fixture.providerID, changeType: "status-update",
                            sourceFileName: "file-\(minutes).csv", contentHash: "h\(minutes)",
                            createdAt: now.addingTimeInterval(Double(minutes) * 60)))
                }
                _ = try connection.insertDetails(
                    bulkChangeID: ids[1], [NewDetail(rowNumber: 2, iccid: iccid(1), status: "PENDING")])
                try connection.markBulkChangeStarted(id: ids[1], at: now)
                _ = try connection.finishBulkChange(id: ids[3], at: now)  // no details: PROCESSED
                return ids
            }
            let (pending, processing, processed, failed) = try await store.read { connection in
                (
                    try connection.bulkChanges(status: "PENDING"), try connection.bulkChanges(status: "PROCESSING"),
                    try connection.bulkChanges(status: "PROCESSED"), try connection.bulkChanges(status: "FAILED")
                )
            }
            #expect(pending.map(\.id) == [ids[2], ids[4], ids[0]])
            #expect(processing.map(\.id) == [ids[1]])
            #expect(processing.first?.counts == ["PENDING": 1])
            let uncounted = try await store.read { try $0.bulkChanges(status: "PROCESSING", counted: false) }
            #expect(uncounted.map(\.id) == [ids[1]] && uncounted.first?.counts == [:])
            #expect(processed.map(\.id) == [ids[3]])
            #expect(processed.first?.tenantID == fixture.otherTenantID)
            #expect(failed.isEmpty)
            await #expect(
                throws: StoreError.invalidValue(
                    field: "bulk change status", value: "DONE",
                    expected: "PENDING, PROCESSING, AWAITING_CONFIRMATION, PROCESSED, COMPLETED_WITH_ERRORS or FAILED")
            ) {
                try await store.read { try $0.bulkChanges(status: "DONE") }
            }

            let (recent, all, none) = try await store.read { connection in
                (
                    try connection.recentBulkChanges(limit: 3), try connection.recentBulkChanges(limit: 10),
                    try connection.recentBulkChanges(limit: 0)
                )
            }
            #expect(recent.map(\.id) == [ids[0], ids[4], ids[2]])  // ids[4] and ids[2] share a time: later id first
            #expect(all.map(\.id) == [ids[0], ids[4], ids[2], ids[3], ids[1]])
            #expect(all.last?.counts == ["PENDING": 1])
            #expect(none.isEmpty)
            let (other, firstTwo) = try await store.read { connection in
                (
                    try connection.recentBulkChanges(limit: 10, tenantID: fixture.otherTenantID),
                    try connection.recentBulkChanges(limit: 2, tenantID: fixture.tenantID)
                )
            }
            #expect(other.map(\.id) == [ids[3]], "one tenant's only")
            #expect(firstTwo.map(\.id) == [ids[0], ids[4]])
            await #expect(
                throws: StoreError.invalidValue(field: "number of bulk changes", value: "-1", expected: "0 or more")
            ) {
                try await store.read { try $0.recentBulkChanges(limit: -1) }
            }
        }
    }

    @Test(arguments: TestEngine.allCases) func serviceCountsAddUpFilesRowsBacklogAndLiveLeases(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let id = try await bulkChange(in: store, finalStatuses: ["PROCESSED", "PROCESSED", "FAILED", "PENDING"])
            let fixture = try await Fixture.make(in: store)
            let counts = try await store.write { [now] connection in
                for (name, status) in [("a.csv", LedgerStatus.claimed), ("b.csv", .claimed)] {
                    _ = try connection.addLedgerEntry(
                        LedgerEntry(
                            tenantID: fixture.otherTenantID, originalName: name, size: 1, contentHash: name,
                            claimedAt: now, processingPath: "/p/\(name)", status: status))
                }
                _ = try connection.claimLease(.bulkChange, id: id, owner: "w", until: now + 30, now: now)
                _ = try connection.claimLease(.file, id: 1, owner: "w", until: now - 1, now: now - 60)
                return try connection.serviceCounts(now: now)
            }
            #expect(counts.filesByTenant == [.init(first: "globex", second: "CLAIMED", count: 2)])
            #expect(
                counts.rowsByChangeType == [
                    .init(first: "status-update", second: "FAILED", count: 1),
                    .init(first: "status-update", second: "PENDING", count: 1),
                    .init(first: "status-update", second: "PROCESSED", count: 2),
                ])
            #expect(counts.confirmationBacklog == 0)
            #expect(counts.notifications.isEmpty)
            #expect(counts.leases == ["BULK_CHANGE": 1], "an expired lease is not held")
            let withoutRows = try await store.read { [now] in try $0.serviceCounts(now: now, countingRows: false) }
            #expect(withoutRows.rowsByChangeType.isEmpty)
            #expect(withoutRows.filesByTenant == counts.filesByTenant)
        }
    }

    @Test(arguments: TestEngine.allCases) func leasedPagesCountOnlyLivePagesWithUnsettledRows(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let id = try await bulkChange(in: store, finalStatuses: ["PROCESSED", "PENDING", "PROCESSED", "FAILED"])
            let detailIDs = try await store.read { try $0.details(bulkChangeID: id).compactMap(\.id) }
            let (settled, unsettled) = (detailIDs[0], detailIDs[1])
            let counts = try await store.write { [now] connection in
                // Pages of one detail each: a page's key is its detail id.
                _ = try connection.claimLease(.detailPage, id: settled, owner: "w", until: now + 30, now: now)
                let settledOnly = try connection.leasedPages(bulkChangeID: id, pageSize: 1, now: now)
                _ = try connection.claimLease(.detailPage, id: unsettled, owner: "w", until: now + 30, now: now)
                let withUnsettled = try connection.leasedPages(bulkChangeID: id, pageSize: 1, now: now)
                let expired = try connection.leasedPages(bulkChangeID: id, pageSize: 1, now: now + 31)
                let otherChange = try connection.leasedPages(bulkChangeID: id + 1, pageSize: 1, now: now)
                // With pages of 1,000 ids every detail is on page 0, which nobody leased.
                let bigPages = try connection.leasedPages(bulkChangeID: id, pageSize: 1000, now: now)
                return [settledOnly, withUnsettled, expired, otherChange, bigPages]
            }
            #expect(counts == [0, 1, 0, 0, 0])
        }
    }

    @Test(arguments: TestEngine.allCases) func detailGoesPendingProcessingFinalExactlyOnce(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let id = try await bulkChange(in: store, finalStatuses: ["PENDING"])
            let detailID = try await store.read { try $0.details(bulkChangeID: id)[0].id }
            try await store.write { try $0.markProcessing(detailID: detailID) }
            await #expect(throws: StoreError.detailTransition(detailID: detailID, from: "PROCESSING", to: "PROCESSING"))
            {
                try await store.write { try $0.markProcessing(detailID: detailID) }
            }
            await #expect(throws: StoreError.detailTransition(detailID: detailID, from: "PROCESSING", to: "PENDING")) {
                try await store.write { [now] in
                    try $0.finishDetail(
                        detailID: detailID, status: "PENDING", message: nil, oldValue: nil, newValue: nil, attempts: 1,
                        at: now)
                }
            }
            try await store.write { [now] in
                try $0.finishDetail(
                    detailID: detailID, status: "PROCESSED", message: "done", oldValue: "ACTIVATED",
                    newValue: "DEACTIVATED",
                    attempts: 2, at: now)
            }
            let twice = await #expect(throws: StoreError.self) {
                try await store.write { [now] in
                    try $0.finishDetail(
                        detailID: detailID, status: "FAILED", message: nil, oldValue: nil, newValue: nil, attempts: 3,
                        at: now)
                }
            }
            #expect(twice == .detailTransition(detailID: detailID, from: "PROCESSED", to: "FAILED"))
            #expect(
                twice?.description.hasPrefix("bulk change detail \(detailID) cannot move to FAILED: it is PROCESSED")
                    == true)
            let detail = try await store.read { try $0.detail(id: detailID) }
            #expect(
                detail
                    == DetailRecord(
                        id: detailID, bulkChangeID: id, rowNumber: 2, iccid: iccid(0), status: "PROCESSED", attempts: 2,
                        message: "done", oldValue: "ACTIVATED", newValue: "DEACTIVATED", processedAt: now))
        }
    }

    @Test(arguments: TestEngine.allCases) func rejectedDetailNeverMoves(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            let id = try await bulkChange(in: store, finalStatuses: ["REJECTED"])
            let detailID = try await store.read { try $0.details(bulkChangeID: id)[0].id }
            await #expect(throws: StoreError.detailTransition(detailID: detailID, from: "REJECTED", to: "PROCESSING")) {
                try await store.write { try $0.markProcessing(detailID: detailID) }
            }
            await #expect(throws: StoreError.detailTransition(detailID: detailID, from: "REJECTED", to: "PROCESSED")) {
                try await store.write { [now] in
                    try $0.updateScheduledDetail(
                        detailID: detailID, status: "PROCESSED", message: nil, newValue: nil, at: now)
                }
            }
            await #expect(throws: StoreError.detailTransition(detailID: 999, from: nil, to: "PROCESSING")) {
                try await store.write { try $0.markProcessing(detailID: 999) }
            }
        }
    }

    @Test(arguments: TestEngine.allCases) func scheduledDetailMovesOnceMoreWhenTheSchedulerAppliesIt(
        on engine: TestEngine
    ) async throws {
        try await withStore(on: engine) { store in
            let id = try await bulkChange(in: store, finalStatuses: ["SCHEDULED"])
            let detailID = try await store.read { try $0.details(bulkChangeID: id)[0].id }
            let applied = now.addingTimeInterval(86_400)
            await #expect(throws: StoreError.detailTransition(detailID: detailID, from: "SCHEDULED", to: "UNCHANGED")) {
                try await store.write {
                    try $0.updateScheduledDetail(
                        detailID: detailID, status: "UNCHANGED", message: nil, newValue: nil, at: applied)
                }
            }
            try await store.write {
                try $0.updateScheduledDetail(
                    detailID: detailID, status: "PROCESSED", message: "applied", newValue: "PLAN-B", at: applied)
            }
            await #expect(throws: StoreError.detailTransition(detailID: detailID, from: "PROCESSED", to: "FAILED")) {
                try await store.write {
                    try $0.updateScheduledDetail(
                        detailID: detailID, status: "FAILED", message: nil, newValue: nil, at: applied)
                }
            }
            let detail = try await store.read { try $0.detail(id: detailID) }
            #expect(detail?.status == "PROCESSED")
            #expect(detail?.newValue == "PLAN-B")
            #expect(detail?.processedAt == applied)
        }
    }

    @Test(arguments: TestEngine.allCases) func insertingDetailsChecksStatusAndRowNumbers(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let id = try await bulkChange(in: store, finalStatuses: [])
            await #expect(
                throws: StoreError.invalidValue(
                    field: "status of row 5", value: "PROCESSED", expected: "PENDING or REJECTED")
            ) {
                try await store.write {
                    try $0.insertDetails(
                        bulkChangeID: id, [NewDetail(rowNumber: 5, iccid: iccid(5), status: "PROCESSED")])
                }
            }
            let duplicate = await #expect(throws: StoreError.self) {
                try await store.write {
                    try $0.insertDetails(
                        bulkChangeID: id,
                        [
                            NewDetail(rowNumber: 5, iccid: iccid(5), status: "PENDING"),
                            NewDetail(rowNumber: 5, iccid: iccid(6), status: "PENDING"),
                        ])
                }
            }
            #expect(duplicate?.description.contains("UNIQUE constraint failed") == true)
            let stored = try await store.read { try $0.details(bulkChangeID: id) }
            #expect(stored.isEmpty)  // the failed write was rolled back whole
        }
    }
}
