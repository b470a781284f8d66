import Foundation
import Store
import TestSupport
import Testing

@Suite("Store: detail logs")
struct LogTests {
    let now = utc("2026-11-27T10:00:00Z")

    @Test(arguments: TestEngine.allCases) func logsAreStoredScrubbedAndReadInOrder(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let detailID = try await store.write { [now] connection in
                let change = try connection.createBulkChange(
                    NewBulkChange(
                        tenantID: fixture.tenantID, providerID: fixture.providerID, changeType: "status-update",
                        sourceFileName: "fleet.csv", contentHash: "h", createdAt: now))
                return try connection.insertDetails(
                    bulkChangeID: change, [NewDetail(rowNumber: 2, iccid: iccid(1), status: "PENDING")])[0]
            }
            let entries = [
                LogEntry(
                    detailID: detailID, description: "PUT status",
                    requestText:
                        "PUT /rws/api/v1/devices/\(iccid(1))\nAuthorization: Basic dXNlcjprZXk=\n\n{\"status\":\"DEACTIVATED\"}",
                    responseText: "{\"iccid\":\"\(iccid(1))\"}", responseStatus: 200, isError: false, portal: .m2m,
                    at: now),
                LogEntry(
                    detailID: detailID, description: "read back", requestText: "GET /rws/api/v1/devices/\(iccid(1))",
                    responseText: "{\"errorMessage\":\"bad\",\"token\":\"t0k3n\"}", isError: true, portal: .mobility,
                    at: now.addingTimeInterval(1)),
            ]
            try await store.write { try $0.appendLogs(entries) }
            try await store.write { [now] in
                try $0.appendLog(
                    LogEntry(
                        detailID: detailID, description: "done", requestText: "", responseText: "", isError: false,
                        portal: .m2m, at: now))
            }
            let logs = try await store.read { try $0.logs(detailID: detailID) }
            #expect(logs.map(\.description) == ["PUT status", "read back", "done"])
            #expect(logs[0].requestText.contains("Authorization: <redacted>"))
            #expect(!logs[0].requestText.contains("dXNlcjprZXk="))
            #expect(logs[0].responseStatus == 200)
            #expect(logs[0].portal == .m2m)
            #expect(
                logs[1]
                    == LogEntry(
                        detailID: detailID, description: "read back",
                        requestText: "GET /rws/api/v1/devices/\(iccid(1))",
                        responseText: "{\"errorMessage\":\"bad\",\"token\":\"<redacted>\"}", isError: true,
                        portal: .mobility,
                        at: now.addingTimeInterval(1)))
        }
    }

    @Test(arguments: TestEngine.allCases) func logForUnknownDetailIsAConstraintViolation(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let error = await #expect(throws: StoreError.self) {
                try await store.write { [now] in
                    try $0.appendLog(
                        LogEntry(
                            detailID: 77, description: "x", requestText: "", responseText: "", isError: false,
                            portal: .m2m, at: now))
                }
            }
            #expect(error?.description.hasPrefix("logging for detail 77: FOREIGN KEY constraint failed") == true)
        }
    }
}
