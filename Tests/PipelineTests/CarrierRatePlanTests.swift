import BulkChange
import Foundation
import JasperSim
import Pipeline
import TestSupport
import Testing

/// carrier-rate-plan end to end: plans known per provider, effective dates passed to Control Center.
@Suite("carrier-rate-plan end to end")
struct CarrierRatePlanTests {
    @Test(arguments: TestEngine.allCases) func planChangesNowLaterUnchangedAndRefused(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
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

    /// A plan added on Control Center after the last `plans sync` is learnt before the rows are
    /// judged, with one catalog read for the whole file; a plan nobody has is still rejected.
    @Test(arguments: TestEngine.allCases) func aPlanNewOnControlCenterIsLearntOncePerFile(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            var carrier = fixture.devices[PipelineFixture.inventory + 3]
            carrier.device.ratePlan = "POD19 IoT 10GB Pooled"
            fixture.simulator.load([carrier])  // the simulator knows the plan from now on
            let active = fixture.acmeDevices(withStatus: .activated)
            try #require(active.count >= 3)
            let path = try fixture.write(
                "carrier-rate-plan_fresh.csv",
                """
                iccid,carrier_rate_plan
                \(fixture.iccid(active[0])),POD19 IoT 10GB Pooled
                \(fixture.iccid(active[1])),POD19 IoT 10GB Pooled
                \(fixture.iccid(active[2])),No Such Plan

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .processed, .rejected])
            #expect(report.results[2].message.contains("not a rate plan of this service provider"))
            #expect(fixture.simulator.counters.total("GET /rateplans") == 1, "one catalog read for the file")
            #expect(fixture.carrier(fixture.iccid(active[0]))?.ratePlan == "POD19 IoT 10GB Pooled")
        }
    }

    @Test(arguments: TestEngine.allCases) func planTheCarrierDoesNotKnowFailsAndStaysLocal(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
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
