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

    @Test func faultsAsJSONKeepEveryFieldAndRefuseUnknownKeys() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let faults = SimulatorFaults(
            ignoreEditRate: 0.25, lateAnswerRate: 0.5, lateAnswerMs: 1_500, applyLaterRate: 0.75, applyLaterMs: 9_000,
            deviceFaults: [
                "8901": DeviceFault(.lateAnswer, editsOnly: false, delayMs: 700), "8902": DeviceFault(.applyLater),
            ])
        try await fixture.putFaults(faults)
        let echoed = try JSONDecoder().decode(SimulatorFaults.self, from: JSONEncoder().encode(faults))
        #expect(echoed == faults)

        let partial = #"{"lateAnswerRate": 1, "deviceFaults": {"8903": {"kind": "slow", "slowDelayMs": 40}}}"#
        let decoded = try JSONDecoder().decode(SimulatorFaults.self, from: Data(partial.utf8))
        #expect(
            decoded
                == SimulatorFaults(lateAnswerRate: 1, deviceFaults: ["8903": DeviceFault(.slow, delayMs: 40)]),
            "missing keys default; slowDelayMs is the delay")

        for (body, reason) in [
            (#"{"lateAnswerMS": 10}"#, #"unknown fault key "lateAnswerMS""#),
            (#"{"deviceFaults": {"8901": {"kind": "late"}}}"#, "8901"),
            (#"{"deviceFaults": {"8901": {"kind": "slow", "delay": 5}}}"#, #"unknown device fault key "delay""#),
        ] {
            let response = try await fixture.http.send(
                HTTPRequest(
                    method: "PUT", target: fixture.running.server.baseURL + "/_sim/faults", body: Array(body.utf8)))
            #expect(response.status == 400, "\(body)")
            let error = try JSONDecoder().decode(JasperErrorBody.self, from: Data(response.body))
            #expect(error.errorMessage.contains(reason), "\(error.errorMessage)")
        }
        #expect(
            try await fixture.admin(SimulatorFaults.self, "faults", method: "PUT", body: Array("{}".utf8)) == .init())
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
