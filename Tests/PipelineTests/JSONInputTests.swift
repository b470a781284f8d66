import BulkChange
import Foundation
import Pipeline
import Store
import Testing

/// A JSON bulk change end to end: the envelope's `defaults` under each device's own keys, the
/// devices processed like CSV rows, and an errors file in the canonical column names.
@Suite("JSON input end to end")
struct JSONInputTests {
    @Test func defaultsApplyUnlessADeviceOverridesThem() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let inactive =
                fixture.acmeDevices(withStatus: .deactivated) + fixture.acmeDevices(withStatus: .inventory)
                + fixture.acmeDevices(withStatus: .activationReady)
            try #require(active.count >= 2 && !inactive.isEmpty)
            let (stored, woken, ownReason) = (
                fixture.iccid(active[0]), fixture.iccid(inactive[0]), fixture.iccid(active[1])
            )
            let path = try fixture.write(
                "status-update_winter.json",
                """
                {
                  "changeType": "status-update",
                  "serviceProvider": "POD19",
                  "defaults": {"target_status": "DEACTIVATED", "reason": "winter storage"},
                  "devices": [
                    {"iccid": "\(stored)"},
                    {"iccid": "\(woken)", "target_status": "ACTIVATED", "reason": null},
                    {"iccid": "\(ownReason)", "reason": "sold"}
                  ]
                }
                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .processed, .processed])
            #expect(report.results.map(\.iccid) == [stored, woken, ownReason])
            #expect(fixture.carrier(stored)?.status == "DEACTIVATED")
            #expect(fixture.carrier(woken)?.status == "ACTIVATED")
            #expect(fixture.carrier(ownReason)?.status == "DEACTIVATED")
            #expect(try await fixture.stored(woken)?.status == "ACTIVATED")

            let requests = try await fixture.workspace.store.read { connection in
                try connection.details(bulkChangeID: report.summary.bulkChangeID).map(\.requestJSON)
            }
            let decoded = try requests.map { json in
                try JSONDecoder.iso8601.decode(ChangeRequest.self, from: Data((json ?? "").utf8))
            }
            #expect(
                decoded == [
                    .statusUpdate(StatusUpdate(iccid: stored, targetStatus: .deactivated, reason: "winter storage")),
                    .statusUpdate(StatusUpdate(iccid: woken, targetStatus: .activated, reason: nil)),
                    .statusUpdate(StatusUpdate(iccid: ownReason, targetStatus: .deactivated, reason: "sold")),
                ])
            #expect(report.summary.serviceProvider == "POD19")
            #expect(!FileManager.default.fileExists(atPath: report.paths.errors), "nothing to fix")
        }
    }

    @Test func errorsFileOfAJSONFileUsesTheCanonicalColumns() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let (good, bad) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            let path = try fixture.write(
                "status-update_mixed.json",
                """
                {"defaults": {"target_status": "DEACTIVATED", "reason": "winter storage"},
                 "devices": [
                   {"iccid": "\(good)"},
                   {"iccid": "\(bad)", "target_status": "SUSPENDED"},
                   {"iccid": "\(fixture.iccid(8))", "effective_date": "\(fixture.day(after: 3))"},
                   {"iccid": 8901260000000000001}
                 ]}
                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .rejected, .rejected, .rejected])
            #expect(report.results[3].message.contains("is a JSON number"))

            let text = try fixture.outboxText(report.paths.errors)
            #expect(text.hasPrefix("\u{FEFF}iccid,target_status,reason,effective_date,error\r\n"))
            let lines = try fixture.outboxLines(report.paths.errors)
            #expect(lines.count == 1 + 3)
            #expect(lines[1].hasPrefix("\(bad),SUSPENDED,winter storage,,\"target_status \"\"SUSPENDED\"\""))
            #expect(lines[2].hasPrefix("\(fixture.iccid(8)),DEACTIVATED,winter storage,\(fixture.day(after: 3)),"))
            #expect(lines[3].hasPrefix("8901260000000000001,DEACTIVATED,winter storage,,"))

            let again = try fixture.write(
                "status-update_fixed.csv", text.replacingOccurrences(of: ",SUSPENDED,", with: ",ACTIVATED,"))
            let input = try InputFile.read(path: again)
            #expect(input.warnings.isEmpty, "\(input.warnings)")
            #expect(input.rows.count == 3)
            #expect(input.rows[0].fields == ["iccid": bad, "target_status": "ACTIVATED", "reason": "winter storage"])
        }
    }

    @Test func anUnknownServiceProviderStopsTheFile() async throws {
        try await PipelineFixture.make().use { fixture in
            let path = try fixture.write(
                "status-update_elsewhere.json",
                #"{"serviceProvider": "Rogers", "devices": [{"iccid": "\#(fixture.iccid(0))", "target_status": "INVENTORY"}]}"#
            )
            let error = await #expect(throws: PipelineError.self) {
                try await BulkChangeRunner(workspace: fixture.workspace).run(path: path, tenant: "acme")
            }
            #expect(error?.description.contains("unknown service provider \"Rogers\"; configured: POD19") == true)
            #expect(fixture.simulator.counters.calls.isEmpty)
        }
    }
}

extension JSONDecoder {
    /// A decoder for what the pipeline stores: ISO-8601 dates.
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
