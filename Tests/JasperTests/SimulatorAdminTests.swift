import Foundation
import HTTP
import Jasper
import JasperSim
import Testing

/// The `/_sim/` hooks, over HTTP as a test or a rehearsal uses them.
@Suite("Simulator admin surface")
struct SimulatorAdminTests {
    @Test func countersFaultsDeviceStateAndReset() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let root = fixture.running.server.baseURL + "/_sim"
        let client = fixture.client()
        let iccid = fixture.firstICCID
        _ = try await client.editDevice(iccid, DeviceEdit(deviceID: "before-reset"))

        let state = try await fixture.http.send(HTTPRequest(method: "GET", target: "\(root)/devices/\(iccid)"))
        let full = try JSONDecoder().decode(SimulatedDeviceState.self, from: Data(state.body))
        #expect(full.device.device.deviceID == "before-reset")
        #expect(full.auditTrail.map(\.field) == ["deviceID"])

        let counters = try await fixture.http.send(HTTPRequest(method: "GET", target: "\(root)/counters"))
        let decoded = try JSONDecoder().decode(SimulatorCounters.self, from: Data(counters.body))
        #expect(decoded.calls["PUT /devices/{iccid}"] == ["200": 1])

        let faults = SimulatorFaults(failNextCalls: 1)
        let setFaults = try await fixture.http.send(
            HTTPRequest(method: "PUT", target: "\(root)/faults", body: Array(try JSONEncoder().encode(faults))))
        #expect(setFaults.status == 200)
        let failing = fixture.client(retry: .never)
        await #expect(
            throws: JasperError.serverError(
                call: "GET /devices/\(iccid)", status: 500, code: JasperErrorCode.serverError,
                message: "Unknown server error")
        ) { try await failing.device(iccid) }
        #expect(fixture.simulator.counters.calls["GET /devices/{iccid}"] == ["500": 1], "the injected fault, once")

        let reset = try await fixture.http.send(HTTPRequest(method: "POST", target: "\(root)/reset"))
        #expect(reset.status == 200)
        #expect(try await client.device(iccid).deviceID != "before-reset")
        #expect(fixture.simulator.counters.total("PUT /devices/{iccid}") == 0)
    }

    @Test func loadDevicesAndUnknownAdminPaths() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let root = fixture.running.server.baseURL + "/_sim"
        let extra = [
            SimulatedDevice(device: JasperDevice(iccid: "89012699999999999990", status: "ACTIVATED", accountId: "100"))
        ]
        let loaded = try await fixture.http.send(
            HTTPRequest(method: "POST", target: "\(root)/devices", body: Array(try JSONEncoder().encode(extra))))
        #expect(loaded.status == 200)
        #expect(try await fixture.client().device("89012699999999999990").status == "ACTIVATED")
        let unknown = try await fixture.http.send(HTTPRequest(method: "GET", target: "\(root)/nothing"))
        #expect(unknown.status == 400)
    }

    @Test func futureDatedEditSentTwiceIsPendingTwice() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let client = fixture.client()
        let (twice, once) = (fixture.simulator.iccids[0], fixture.simulator.iccids[1])
        let due = fixture.clock.now.addingTimeInterval(3 * 86_400)
        let edit = DeviceEdit(deviceID: "due-later", effectiveDate: due)
        for iccid in [twice, twice, once] {
            #expect(try await client.editDevice(iccid, edit).appliedLater == false, "a future date answers 200")
        }
        #expect(try await fixture.admin([String: Int].self, "scheduled") == [twice: 2, once: 1])
        #expect(fixture.simulator.deviceState(twice)?.scheduledChanges.count == 2)
        fixture.clock.advance(days: 3)
        #expect(fixture.simulator.scheduledChangesByDevice.isEmpty)
        let landed = try #require(fixture.simulator.deviceState(twice))
        #expect(landed.device.device.deviceID == "due-later")
        #expect(landed.auditTrail.count == 1, "the second one changes nothing, so it leaves no trace")
    }
}
