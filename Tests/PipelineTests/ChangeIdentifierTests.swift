import BulkChange
import Foundation
import JasperSim
import Pipeline
import TestSupport
import Testing

/// change-iccid-imei end to end: SIM swap with compensation, modem swap read back.
@Suite("change-iccid-imei end to end")
struct ChangeIdentifierTests {
    /// A valid IMEI (15 digits, Luhn) that no device uses.
    static func freshIMEI(_ seed: Int) -> String {
        let body = "49015420" + String(100_000 + seed)
        return body + String(Luhn.checkDigit(for: body))
    }

    @Test(arguments: TestEngine.allCases) func simSwapActivatesTheNewSIMAndDeactivatesTheOld(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let old = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let spare = fixture.iccid(PipelineFixture.inventory + 2)
            let path = try fixture.write("change-iccid-imei_swap.csv", "iccid,new_iccid\n\(old),\(spare)\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed], "\(report.results.map(\.message))")
            #expect(fixture.carrier(spare)?.status == "ACTIVATED")
            #expect(fixture.carrier(spare)?.ratePlan == fixture.carrier(old)?.ratePlan)
            #expect(fixture.carrier(old)?.status == "DEACTIVATED")
            #expect(try await fixture.stored(spare)?.status == "ACTIVATED")
            let replaced = try await fixture.stored(old)
            #expect(replaced?.status == "DEACTIVATED" && replaced?.username == nil, "the old SIM is kept, unused")
        }
    }

    @Test(arguments: TestEngine.allCases) func failedSecondStepIsCompensated(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let old = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let spare = fixture.iccid(PipelineFixture.inventory + 2)
            fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [old: DeviceFault(.refuse)]))
            let path = try fixture.write("change-iccid-imei_undo.csv", "iccid,new_iccid\n\(old),\(spare)\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed])
            #expect(report.results[0].message.contains("put back to ACTIVATION_READY"))
            #expect(fixture.carrier(spare)?.status == "ACTIVATION_READY", "compensated")
            #expect(fixture.carrier(old)?.status == "ACTIVATED")
            #expect(try await fixture.stored(old)?.status == "ACTIVATED")
        }
    }

    /// The words of a replacement SIM that is not the tenant's spare.
    static let notOurs =
        "is not in this tenant's inventory for this provider; "
        + "a replacement SIM must first be imported into the tenant's inventory as a spare (INVENTORY)"

    @Test(arguments: TestEngine.allCases) func swapRulesAreCheckedBeforeAnyCall(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let (first, second) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            let third = fixture.iccid(try #require(active.dropFirst(2).first))
            let others = (0..<PipelineFixture.inventory).filter { !active.prefix(3).contains($0) }
            let fourth = fixture.iccid(try #require(others.first))
            let fifth = fixture.iccid(try #require(others.dropFirst().first))
            let otherTenants = fixture.iccid(8)
            let nobodys = fixture.iccid(PipelineFixture.inventory + 3)
            let path = try fixture.write(
                "change-iccid-imei_rules.csv",
                """
                iccid,new_iccid,new_imei
                \(first),\(second),
                \(second),,
                \(third),\(otherTenants),\(Self.freshIMEI(1))
                \(fourth),\(otherTenants),
                \(fifth),\(nobodys),

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == Array(repeating: .rejected, count: 5))
            // Each row for the rule it is there for, and only that one (every ICCID appears once).
            let reasons = report.results.map(\.message)
            #expect(reasons[0].hasPrefix("new_iccid \"\(second)\": is ACTIVATED, not a spare SIM"), "\(reasons[0])")
            #expect(reasons[1].hasPrefix("neither new_iccid nor new_imei is given"))
            #expect(reasons[2].hasPrefix("both new_iccid and new_imei are given"))
            // Another tenant's SIM and a SIM of no tenant get the words of a device that does not exist.
            #expect(reasons[3] == "new_iccid \"\(otherTenants)\": \(Self.notOurs)")
            #expect(reasons[4] == "new_iccid \"\(nobodys)\": \(Self.notOurs)")
            #expect(fixture.simulator.counters.calls.isEmpty)
        }
    }

    @Test(arguments: TestEngine.allCases) func aReplacementNamedTwiceIsTakenByItsFirstRowOnly(on engine: TestEngine)
        async throws
    {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            try #require(active.count >= 3)
            let spare = fixture.iccid(PipelineFixture.inventory + 2)
            let imei = Self.freshIMEI(7)
            let path = try fixture.write(
                "change-iccid-imei_twice.csv",
                """
                iccid,new_iccid,new_imei
                \(fixture.iccid(active[0])),\(spare),
                \(fixture.iccid(active[1])),\(spare),
                \(fixture.iccid(active[2])),,\(imei)
                \(fixture.iccid(0) == fixture.iccid(active[0]) ? fixture.iccid(3) : fixture.iccid(0)),,\(imei)

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .rejected, .processed, .rejected])
            #expect(report.results[1].message.hasPrefix("new_iccid \"\(spare)\": is already the replacement in row 1"))
            #expect(report.results[3].message.hasPrefix("new_imei \"\(imei)\": is already the replacement in row 3"))
            #expect(try await fixture.stored(spare)?.status == "ACTIVATED", "the spare became the device's SIM")
            #expect(fixture.carrier(fixture.iccid(active[1]))?.status == "ACTIVATED", "the second device untouched")
        }
    }

    @Test(arguments: TestEngine.allCases) func newSIMThatIsNotPreActiveFails(on engine: TestEngine) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let old = fixture.iccid(0)
            let spare = fixture.iccid(PipelineFixture.inventory + 2)
            fixture.simulator.load([
                SimulatedDevice(
                    device: {
                        var device = fixture.devices[PipelineFixture.inventory + 2].device
                        device.status = "DEACTIVATED"
                        return device
                    }())
            ])
            let path = try fixture.write("change-iccid-imei_used.csv", "iccid,new_iccid\n\(old),\(spare)\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed])
            #expect(fixture.simulator.counters.total("PUT /devices/{iccid}") == 0)
        }
    }

    /// The old SIM is RETIRED on Control Center although the inventory says ACTIVATED: the spare is
    /// not activated (and billed) for a swap that cannot finish.
    @Test(arguments: TestEngine.allCases) func anOldSIMThatCannotBeDeactivatedStopsTheSwapBeforeAnyEdit(
        on engine: TestEngine
    ) async throws {
        try await PipelineFixture.make(engine: engine).use { fixture in
            let index = fixture.acmeDevices(withStatus: .activated)[0]
            let old = fixture.iccid(index)
            let spare = fixture.iccid(PipelineFixture.inventory + 2)
            var retired = fixture.devices[index]
            retired.device.status = "RETIRED"
            fixture.simulator.load([retired])
            let path = try fixture.write("change-iccid-imei_retired.csv", "iccid,new_iccid\n\(old),\(spare)\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.failed])
            #expect(report.results[0].message.contains("is RETIRED on Control Center"), "\(report.results[0].message)")
            #expect(fixture.simulator.counters.total("PUT /devices/{iccid}") == 0)
            #expect(fixture.carrier(spare)?.status == "ACTIVATION_READY")
        }
    }

    @Test(arguments: TestEngine.allCases) func modemSwapIsRecordedAndReadBack(on engine: TestEngine) async throws {
        try await PipelineFixture.make(verificationChecks: 2, engine: engine).use { fixture in
            let (recorded, ignored) = (fixture.iccid(0), fixture.iccid(1))
            fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [ignored: DeviceFault(.ignore)]))
            let (imei1, imei2) = (Self.freshIMEI(1), Self.freshIMEI(2))
            let path = try fixture.write(
                "change-iccid-imei_modems.csv", "iccid,new_imei\n\(recorded),\(imei1)\n\(ignored),\(imei2)\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed, .failed])
            #expect(fixture.carrier(recorded)?.modemID == imei1)
            #expect(try await fixture.stored(recorded)?.imei == imei1)
            #expect(try await fixture.stored(ignored)?.imei == fixture.devices[1].device.imei)
        }
    }
}
