import BulkChange
import Foundation
import JasperSim
import Pipeline
import Testing

/// change-iccid-imei end to end: SIM swap with compensation, modem swap read back.
@Suite("change-iccid-imei end to end")
struct ChangeIdentifierTests {
    /// A valid IMEI (15 digits, Luhn) that no device uses.
    static func freshIMEI(_ seed: Int) -> String {
        let body = "49015420" + String(100_000 + seed)
        return body + String(Luhn.checkDigit(for: body))
    }

    @Test func simSwapActivatesTheNewSIMAndDeactivatesTheOld() async throws {
        try await PipelineFixture.make().use { fixture in
            let old = fixture.iccid(fixture.acmeDevices(withStatus: .activated)[0])
            let spare = fixture.iccid(PipelineFixture.inventory + 2)
            let path = try fixture.write("change-iccid-imei_swap.csv", "iccid,new_iccid\n\(old),\(spare)\n")
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.processed], "\(report.results.map(\.message))")
            #expect(fixture.carrier(spare)?.status == "ACTIVATED")
            #expect(fixture.carrier(spare)?.ratePlan == fixture.carrier(old)?.ratePlan)
            #expect(fixture.carrier(old)?.status == "DEACTIVATED")
            #expect(try await fixture.stored(spare)?.status == "ACTIVATED")
            #expect(try await fixture.stored(old) == nil, "the device now carries the new SIM")
        }
    }

    @Test func failedSecondStepIsCompensated() async throws {
        try await PipelineFixture.make().use { fixture in
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

    @Test func swapRulesAreCheckedBeforeAnyCall() async throws {
        try await PipelineFixture.make().use { fixture in
            let active = fixture.acmeDevices(withStatus: .activated)
            let (first, second) = (fixture.iccid(active[0]), fixture.iccid(active[1]))
            let third = fixture.iccid(try #require(active.dropFirst(2).first))
            let fourth = fixture.iccid(
                try #require((0..<PipelineFixture.inventory).first { !active.prefix(3).contains($0) }))
            let otherTenants = fixture.iccid(8)
            let path = try fixture.write(
                "change-iccid-imei_rules.csv",
                """
                iccid,new_iccid,new_imei
                \(first),\(second),
                \(second),,
                \(third),\(otherTenants),\(Self.freshIMEI(1))
                \(fourth),\(otherTenants),

                """)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.rejected, .rejected, .rejected, .rejected])
            // Each row for the rule it is there for, and only that one (every ICCID appears once).
            let reasons = report.results.map(\.message)
            #expect(reasons[0].hasPrefix("new_iccid \"\(second)\": is already used by another device"))
            #expect(reasons[1].hasPrefix("neither new_iccid nor new_imei is given"))
            #expect(reasons[2].hasPrefix("both new_iccid and new_imei are given"))
            #expect(reasons[3].hasPrefix("new_iccid \"\(otherTenants)\": is already used by another device"))
            #expect(fixture.simulator.counters.calls.isEmpty)
        }
    }

    @Test func newSIMThatIsNotPreActiveFails() async throws {
        try await PipelineFixture.make().use { fixture in
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

    @Test func modemSwapIsRecordedAndReadBack() async throws {
        try await PipelineFixture.make(verificationChecks: 2).use { fixture in
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
