import BulkChange
import Foundation
import JasperSim
import Pipeline
import Testing

/// carrier-rate-plan end to end: plans known per provider, effective dates passed to Control Center.
@Suite("carrier-rate-plan end to end")
struct CarrierRatePlanTests {
    @Test func planChangesNowLaterUnchangedAndRefused() async throws {
        try await PipelineFixture.make().use { fixture in
            let plans = GeneratedDevices.ratePlans
            let (now, later, same, unknown) = (fixture.iccid(0), fixture.iccid(1), fixture.iccid(2), fixture.iccid(3))
            let newPlan = { (index: Int) in plans.first { $0 != fixture.devices[index].device.ratePlan }! }
            let samePlan = fixture.devices[2].device.ratePlan ?? ""
            let nextMonth = fixture.day(after: 30)
            let farAway = fixture.day(after: 400)
            let path = try fixture.write(
                "carrier-rate-plan_mixed.csv",
                """
                iccid,carrier_rate_plan,effective_date
                \(now),\(newPlan(0)),
                \(later),\(newPlan(1)),\(nextMonth)
                \(same),\(samePlan),
                \(unknown),No Such Plan,
                \(fixture.iccid(4)),\(newPlan(4)),\(farAway)

                """)
            let report = try await fixture.run(path)
            #expect(
                report.results.map(\.outcome) == [.processed, .scheduled, .unchanged, .rejected, .rejected],
                "\(report.results.map(\.message))")
            #expect(fixture.carrier(now)?.ratePlan == newPlan(0))
            #expect(try await fixture.stored(now)?.carrierRatePlan == newPlan(0))
            #expect(fixture.carrier(later)?.ratePlan == fixture.devices[1].device.ratePlan, "not yet")
            #expect(fixture.simulator.deviceState(later)?.scheduledChanges == [["ratePlan": newPlan(1)]])
            #expect(try await fixture.stored(later)?.carrierRatePlan == fixture.devices[1].device.ratePlan)
            fixture.clock.advance(days: 31)
            #expect(fixture.carrier(later)?.ratePlan == newPlan(1), "Control Center applied it on the date")
            #expect(fixture.simulator.counters.total("PUT /devices/{iccid}") == 2)
        }
    }

    @Test func planTheCarrierDoesNotKnowFailsAndStaysLocal() async throws {
        try await PipelineFixture.make().use { fixture in
            try await fixture.workspace.store.write { connection in
                try connection.upsertCarrierRatePlans(
                    providerID: try connection.provider(named: "POD19")?.id ?? 0, names: ["Stale Plan"])
            }
            let iccid = fixture.iccid(0)
            let path = try fixture.write("carrier-rate-plan_stale.csv", "iccid,rate plan\n\(iccid),Stale Plan\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed])
            #expect(try await fixture.stored(iccid)?.carrierRatePlan == fixture.devices[0].device.ratePlan)
        }
    }
}
