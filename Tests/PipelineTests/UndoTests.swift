import BulkChange
import Foundation
import JasperSim
import Pipeline
import Store
import Testing

/// `UndoPlanner`: the inverse file of each change type, built from the recorded old values of the
/// PROCESSED rows, the rows refused with their reason, and the errors that write nothing.
@Suite("undo")
struct UndoTests {
    /// Runs `text` as `name` for acme and returns the bulk change id.
    static func applied(_ fixture: PipelineFixture, _ name: String, _ text: String) async throws -> Int64 {
        try await fixture.run(try fixture.write(name, text)).summary.bulkChangeID
    }

    /// Drops the plan's file into the inbox and runs it like the service would.
    static func undo(_ plan: UndoPlan, _ fixture: PipelineFixture) async throws -> RunReport {
        let path = try await UndoPlanner(workspace: fixture.workspace).drop(plan)
        #expect(path == "\(fixture.workspace.configuration.inbox)/acme/\(plan.fileName)")
        return try await fixture.run(path)
    }

    static func refusal(_ plan: UndoPlan, _ iccid: String) -> String? {
        plan.refused.first { $0.iccid == iccid }?.reason
    }

    @Test func statusGoesBackExceptARetiredSIMAndTheSameUndoIsWrittenTwiceTheSame() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let (back, retired) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            let same = fixture.iccid(active[2])
            let id = try await Self.applied(
                fixture, "status-update_fleet.csv",
                "iccid,target_status\n\(back),DEACTIVATED\n\(retired),RETIRED\n\(same),ACTIVATED\n")
            let planner = UndoPlanner(workspace: fixture.workspace)
            let plan = try await planner.plan(bulkChangeID: id)
            #expect(plan.fileName == "status-update_undo-\(id).csv")
            #expect(plan.columns == ["iccid", "target_status", "reason", "effective_date"])
            #expect(plan.rows == [[back, "ACTIVATED", "undo of bulk change \(id)", ""]], "UNCHANGED rows stay out")
            #expect(Self.refusal(plan, retired)?.contains("RETIRED now, which is final") == true)
            #expect(try await planner.plan(bulkChangeID: id).csv == plan.csv, "the same content every time")

            let report = try await Self.undo(plan, fixture)
            #expect(report.results.map(\.outcome) == [.processed])
            #expect(fixture.carrier(back)?.status == "ACTIVATED")
            #expect(try await fixture.stored(back)?.status == "ACTIVATED")

            let again = await #expect(throws: UndoError.self) { try await planner.plan(bulkChangeID: id) }
            #expect(
                again?.diagnostics.first
                    == "nothing to undo in bulk change \(id): none of its PROCESSED rows can go back")
            #expect(again?.description.contains("its status is ACTIVATED again already") == true)
        }
    }

    @Test func carrierRatePlanGoesBackUnlessChangedSince() async throws {
        try await PipelineFixture.make().use { fixture in
            let (back, later) = (fixture.iccid(0), fixture.iccid(1))
            let oldPlan = try #require(fixture.devices[0].device.ratePlan)
            let newPlan = try #require(GeneratedDevices.ratePlans.first { $0 != oldPlan })
            let otherPlan = try #require(GeneratedDevices.ratePlans.first { $0 != newPlan })
            let id = try await Self.applied(
                fixture, "carrier-rate-plan_fleet.csv",
                "iccid,carrier_rate_plan\n\(back),\(newPlan)\n\(later),\(newPlan)\n")
            let laterID = try #require(try await fixture.stored(later)?.id)
            let now = fixture.clock.now
            try await fixture.workspace.store.write { connection in
                _ = try connection.updateDevice(
                    id: laterID, changes: [.carrierRatePlan: otherPlan], at: now, detailID: nil)
            }
            let plan = try await UndoPlanner(workspace: fixture.workspace).plan(bulkChangeID: id)
            #expect(plan.rows == [[back, oldPlan, "", ""]])
            #expect(
                Self.refusal(plan, later)
                    == "its carrierRatePlan changed since: it is \(otherPlan) now, the bulk change set \(newPlan); "
                    + "undo leaves later changes alone")
            #expect(try await Self.undo(plan, fixture).results.map(\.outcome) == [.processed])
            #expect(fixture.carrier(back)?.ratePlan == oldPlan)
        }
    }

    @Test func customerRatePlanPoolAndAllocationGoBackButCannotBeEmptied() async throws {
        try await PipelineFixture.make().use { fixture in
            try await CustomerRatePlanTests.addPlans(fixture)
            let (back, allocated) = (fixture.iccid(0), fixture.iccid(1))
            _ = try await Self.applied(
                fixture, "customer-rate-plan_first.csv",
                "iccid,customer_rate_plan_id,customer_pool_id\n\(back),BASIC,FLEET\n\(allocated),BASIC,\n")
            let id = try await Self.applied(
                fixture, "customer-rate-plan_second.csv",
                "iccid,customer_rate_plan_id,data_allocation_mb\n\(back),PLUS,\n\(allocated),PLUS,100\n")
            let plan = try await UndoPlanner(workspace: fixture.workspace).plan(bulkChangeID: id)
            #expect(plan.rows == [[back, "BASIC", "", "", ""]])
            #expect(
                Self.refusal(plan, allocated)
                    == "it had no data allocation before, and a bulk change cannot empty one")
            #expect(try await Self.undo(plan, fixture).results.map(\.outcome) == [.processed])
            #expect(try await fixture.stored(back)?.customerRatePlan == "BASIC")
            #expect(try await fixture.stored(back)?.customerPool == "FLEET")
        }
    }

    @Test func usernameGoesBackButANewCostCentreCannotBeEmptied() async throws {
        try await PipelineFixture.make().use { fixture in
            let (back, costCentre) = (fixture.iccid(0), fixture.iccid(1))
            let id = try await Self.applied(
                fixture, "edit-username_fleet.csv",
                "iccid,username,cost_center_1\n\(back),truck-1,\n\(costCentre),truck-2,FLEET\n")
            let plan = try await UndoPlanner(workspace: fixture.workspace).plan(bulkChangeID: id)
            #expect(plan.rows == [[back, "unit-0", "", "", ""]])
            #expect(
                Self.refusal(plan, costCentre) == "it had no cost_center_1 before, and a bulk change cannot empty one")
            #expect(try await Self.undo(plan, fixture).results.map(\.outcome) == [.processed])
            #expect(fixture.carrier(back)?.deviceID == "unit-0")
            #expect(try await fixture.stored(back)?.username == "unit-0")
        }
    }

    @Test func imeiGoesBackAndASIMSwapOnlyOnceTheOldSIMIsPreActiveAgain() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let (modem, swapped) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            let oldIMEI = try #require(fixture.devices[active[0]].device.imei)
            let spareIndex = PipelineFixture.inventory + 2
            let spare = fixture.iccid(spareIndex)
            let id = try await Self.applied(
                fixture, "change-iccid-imei_swaps.csv",
                "iccid,new_iccid,new_imei\n\(modem),,\(ChangeIdentifierTests.freshIMEI(7))\n\(swapped),\(spare),\n")
            let planner = UndoPlanner(workspace: fixture.workspace)
            let deactivated = try await planner.plan(bulkChangeID: id)
            #expect(deactivated.rows == [[modem, "", oldIMEI]])
            #expect(
                Self.refusal(deactivated, swapped)?.hasPrefix(
                    "the replaced SIM \(swapped) is DEACTIVATED on Control Center; a SIM swap needs it in INVENTORY")
                    == true)

            var oldSIM = fixture.devices[active[1]]
            oldSIM.device.status = SIMStatus.retired.rawValue
            fixture.simulator.load([oldSIM])
            let retired = try await planner.plan(bulkChangeID: id)
            #expect(Self.refusal(retired, swapped)?.contains("RETIRED on Control Center, which is final") == true)

            oldSIM.device.status = SIMStatus.activationReady.rawValue
            fixture.simulator.load([oldSIM])
            let ready = try await planner.plan(bulkChangeID: id)
            #expect(ready.rows == [[modem, "", oldIMEI], [spare, swapped, ""]])
            #expect(ready.refused.isEmpty)

            let report = try await Self.undo(ready, fixture)
            #expect(report.results.map(\.outcome) == [.processed, .processed], "\(report.results.map(\.message))")
            #expect(fixture.carrier(modem)?.modemID == oldIMEI)
            #expect(try await fixture.stored(modem)?.imei == oldIMEI)
            #expect(fixture.carrier(swapped)?.status == "ACTIVATED")
            #expect(fixture.carrier(spare)?.status == "DEACTIVATED")
            #expect(try await fixture.stored(swapped)?.status == "ACTIVATED", "the device carries its old SIM again")
        }
    }

    @Test func archivalIsNeverUndoneAndSaysWhy() async throws {
        try await PipelineFixture.make().use { fixture in
            let iccid = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let id = try await Self.applied(
                fixture, "archival_fleet.csv", "iccid,override_usage_check\n\(iccid),true\n")
            let error = await #expect(throws: UndoError.self) {
                try await UndoPlanner(workspace: fixture.workspace).plan(bulkChangeID: id)
            }
            #expect(
                error?.diagnostics.last
                    == "bulk change \(id) row 1 (\(iccid)): an archived device takes no further changes and no change "
                    + "type brings one back; its SIM was deactivated on Control Center (it was ACTIVATED): reactivate "
                    + "it there if it must come back")
        }
    }

    @Test func unknownUnfinishedUnprocessedAndUnrecordedBulkChangesWriteNothing() async throws {
        try await PipelineFixture.make().use { fixture in
            let planner = UndoPlanner(workspace: fixture.workspace)
            let unknown = await #expect(throws: UndoError.self) { try await planner.plan(bulkChangeID: 999) }
            #expect(
                unknown?.description == "no bulk change 999; 'bulkdrop status' lists the recent ones with their ids")

            let rejected = try await Self.applied(
                fixture, "status-update_bad.csv", "iccid,target_status\n\(fixture.iccid(0)),SUSPENDED\n")
            let nothing = await #expect(throws: UndoError.self) { try await planner.plan(bulkChangeID: rejected) }
            #expect(
                nothing?.description == "nothing to undo in bulk change \(rejected): no row was PROCESSED (1 REJECTED)")

            let (running, unrecorded) = try await fixture.workspace.store.write { connection in
                let tenantID = try #require(try connection.tenantID(named: "acme"))
                let providerID = try #require(try connection.provider(named: "POD19")?.id)
                var ids: [Int64] = []
                for name in ["status-update_running.csv", "status-update_old.csv"] {
                    let id = try connection.createBulkChange(
                        NewBulkChange(
                            tenantID: tenantID, providerID: providerID, changeType: "status-update",
                            sourceFileName: name, contentHash: name, createdAt: fixture.clock.now))
                    let details = try connection.insertDetails(
                        bulkChangeID: id, [NewDetail(rowNumber: 1, iccid: fixture.iccid(0), status: "PENDING")])
                    ids.append(id)
                    guard name.hasSuffix("old.csv") else { continue }
                    try connection.markProcessing(detailID: details[0])
                    try connection.finishDetail(
                        detailID: details[0], status: "PROCESSED", message: nil, oldValue: nil, newValue: nil,
                        attempts: 1, at: fixture.clock.now)
                    _ = try connection.finishBulkChange(id: id, at: fixture.clock.now)
                }
                return (ids[0], ids[1])
            }
            let open = await #expect(throws: UndoError.self) { try await planner.plan(bulkChangeID: running) }
            #expect(open?.description.hasPrefix("bulk change \(running) is still PENDING: undo it once") == true)
            let old = await #expect(throws: UndoError.self) { try await planner.plan(bulkChangeID: unrecorded) }
            #expect(
                old?.description.hasPrefix(
                    "bulk change \(unrecorded) (status-update) recorded no old values for its PROCESSED rows") == true)
        }
    }
}
