import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import TestSupport
import Testing

/// customer-rate-plan end to end: database only, now or queued, and the scheduler applying the queue.
@Suite("customer-rate-plan end to end")
struct CustomerRatePlanTests {
    static func addPlans(_ fixture: PipelineFixture) async throws {
        try await fixture.workspace.store.write { connection in
            let tenantID = try connection.ensureTenant(named: "acme")
            try connection.upsertCustomerRatePlans(
                tenantID: tenantID,
                [
                    CustomerRatePlanRecord(code: "BASIC", name: "Basic", dataAllocationMB: 500),
                    CustomerRatePlanRecord(code: "PLUS", name: "Plus", dataAllocationMB: 2048),
                ])
            try connection.upsertCustomerPools(tenantID: tenantID, [CustomerPoolRecord(code: "FLEET", name: "Fleet")])
        }
    }

    @Test(arguments: TestEngine.allCases) func nowQueuedUnknownAndTheSchedulerAppliesEveryQueuedDevice(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            try await Self.addPlans(fixture)
            let nextWeek = fixture.day(after: 7)
            var rows = ["\(fixture.iccid(0)),BASIC,FLEET,", "\(fixture.iccid(1)),NOPE,,"]
            rows += (2..<PipelineFixture.inventory).map { "\(fixture.iccid($0)),PLUS,,\(nextWeek)" }
            let path = try fixture.write(
                "customer-rate-plan_fleet.csv",
                "iccid,customer_rate_plan_id,customer_pool_id,effective_date\n" + rows.joined(separator: "\n"))
            let report = try await fixture.run(path)
            let queued = PipelineFixture.inventory - 2
            #expect(
                report.results.map(\.outcome) == [.processed, .rejected] + Array(repeating: .scheduled, count: queued))
            #expect(fixture.simulator.counters.calls.isEmpty, "database only")
            #expect(try await fixture.stored(fixture.iccid(0))?.customerRatePlan == "BASIC")
            #expect(try await fixture.stored(fixture.iccid(0))?.customerPool == "FLEET")
            #expect(try await fixture.stored(fixture.iccid(2))?.customerRatePlan == nil)

            let early = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(early.count == 0, "nothing is due yet")
            fixture.clock.advance(days: 8)
            let applied = try await Scheduler(workspace: fixture.workspace).applyDue()
            #expect(applied.count == queued, "every queued device, not only the first hundred")
            for index in 2..<PipelineFixture.inventory {
                #expect(try await fixture.stored(fixture.iccid(index))?.customerRatePlan == "PLUS")
            }
            let details = try await fixture.workspace.store.read { connection in
                try connection.details(bulkChangeID: report.summary.bulkChangeID)
            }
            #expect(details.filter { $0.status == "PROCESSED" }.count == queued + 1)
            let file = try #require(applied.files["acme"]?.first)
            #expect(try fixture.outboxText(file).contains("scheduled change applied"))
            #expect(try await Scheduler(workspace: fixture.workspace).applyDue().count == 0, "applied once")
        }
    }

    @Test(arguments: TestEngine.allCases) func samePlanIsUnchanged(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            try await Self.addPlans(fixture)
            let iccid = fixture.iccid(0)
            _ = try await fixture.run(
                try fixture.write("customer-rate-plan_a.csv", "iccid,customer_rate_plan_id\n\(iccid),BASIC\n"))
            let again = try await fixture.run(
                try fixture.write("customer-rate-plan_b.csv", "iccid,customer_rate_plan_id\n\(iccid),BASIC\n"))
            #expect(again.results.map(\.outcome) == [.unchanged])
        }
    }
}
