import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import TestSupport
import Testing

/// edit-username end to end: POD19 confirms through the audit trail before the store changes.
@Suite("edit-username end to end")
struct EditUsernameTests {
    @Test(arguments: TestEngine.allCases) func usernameLandsOrIsCaughtWhenNotApplied(on engine: TestEngine) async throws
    {
        try await PipelineFixture.make(verificationChecks: 2, engine: engine).use { fixture in
            let (landed, ignored, refused) = (fixture.iccid(0), fixture.iccid(1), fixture.iccid(2))
            fixture.simulator.setFaults(
                SimulatorFaults(deviceFaults: [ignored: DeviceFault(.ignore), refused: DeviceFault(.refuse)]))
            let path = try fixture.write(
                "edit-username_fleet.csv",
                """
                iccid,username,cost_center_1
                \(landed),truck-17,FLEET
                \(ignored),truck-18,
                \(refused),truck-19,
                \(fixture.iccid(3)),bad/name,
                \(fixture.iccid(4)),\(fixture.devices[4].device.deviceID ?? ""),

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .failed, .failed, .rejected, .unchanged])
            #expect(fixture.carrier(landed)?.deviceID == "truck-17")
            let stored = try await fixture.stored(landed)
            #expect(stored?.username == "truck-17")
            #expect(stored?.costCenters.first == "FLEET")
            #expect(report.results[1].message.contains("audit trail"))
            #expect(try await fixture.stored(ignored)?.username == fixture.devices[1].device.deviceID)
            #expect(try await fixture.stored(refused)?.username == fixture.devices[2].device.deviceID)
            let history = try await fixture.workspace.store.read { connection in
                try connection.history(deviceID: stored?.id ?? 0)
            }
            #expect(history.contains { $0.field == .username && $0.after == "truck-17" })
        }
    }

    /// The message says what changed; a cost centre mapped to an account custom field reaches
    /// Control Center (and is confirmed in the audit trail), an unmapped one stays BulkDrop's.
    @Test(arguments: TestEngine.allCases) func costCentresGoToTheirMappedFieldsAndTheMessageSaysWhatChanged(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(costCenterFields: ["accountCustom2"], engine: engine).use { fixture in
            let (costOnly, both) = (fixture.iccid(0), fixture.iccid(1))
            let username = fixture.devices[0].device.deviceID ?? ""
            let path = try fixture.write(
                "edit-username_costs.csv",
                """
                iccid,username,cost_center_1,cost_center_2
                \(costOnly),\(username),CC-EAST,CC-9
                \(both),van-2,CC-WEST,

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .processed], "\(report.results.map(\.message))")
            #expect(
                report.results[0].message
                    == "cost centres 1 and 2 changed; cost centre 2 kept by BulkDrop only (no Control Center field "
                    + "is mapped to it: see costCenterFields)")
            #expect(report.results[1].message == "username and cost centre 1 changed")
            #expect(fixture.carrier(costOnly)?.accountCustom[2] == "CC-EAST")
            #expect(fixture.carrier(both)?.accountCustom[2] == "CC-WEST")
            #expect(fixture.carrier(both)?.deviceID == "van-2")
            #expect(try await fixture.stored(costOnly)?.costCenters == ["CC-EAST", "CC-9", nil])
        }
    }

    @Test(arguments: TestEngine.allCases) func logsKeepEveryCallWithoutTheKey(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let path = try fixture.write("edit-username_one.csv", "iccid,username\n\(fixture.iccid(0)),renamed\n")
            let report = try await fixture.run(path)
            let logs = try await fixture.workspace.store.read { connection in
                let detail = try connection.details(bulkChangeID: report.summary.bulkChangeID)[0]
                return try connection.logs(detailID: detail.id)
            }
            #expect(logs.count >= 2, "the edit and the audit-trail read")
            #expect(logs.allSatisfy { $0.portal == .m2m })
            #expect(logs.contains { $0.requestText.contains("renamed") })
            let scan = SecretScan(username: "demo", apiKey: SimulatorUser.demo.apiKey)
            let configuration = fixture.workspace.configuration
            #expect(try scan.leaks(under: configuration.outbox) == [], "the API key in the outbox")
            if let database = configuration.database {
                let dump = try await PostgresTestServer.shared().dump(database.url)
                #expect(dump.contains("renamed"), "the dump holds the logs")
                #expect(scan.leaks(in: dump, named: "the database") == [])
            } else {
                #expect(try scan.leaks(under: configuration.stateDirectory) == [], "the API key in the state")
            }
        }
    }
}
