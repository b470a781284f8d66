import Foundation
import HTTP
import Jasper
import JasperSim
import Testing

/// Each fault about an edit produces exactly its case, over loopback as the pipeline meets it:
/// applied but answered late, applied late (slow), accepted but ignored, answered 202 and applied later.
@Suite("Simulator edit faults")
struct SimulatorEditFaultTests {
    /// Injected delays: far beyond any timeout here, and cut short when the fixture shuts down.
    static let longDelayMs = 60_000

    /// A client of the fixture's simulator that gives up after 3 s, for the calls meant to outlast
    /// it; the fixture's own client (10 s) checks the rest. The margin is for the simulator to have
    /// handled the call before the timeout on a busy machine: the edit lands within microseconds of
    /// its arrival, while the answer waits a minute.
    static func impatient(_ fixture: SimulatorFixture) -> (client: JasperClient, http: HTTPClient) {
        let http = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(3)))
        let account = JasperAccount(
            baseURL: fixture.running.baseURL,
            credentials: JasperCredentials(username: "demo", apiKey: SimulatorFixture.apiKey), callsPerSecond: 1000,
            maxInFlight: 8, retry: .never)
        return (JasperClient(account: account, http: http), http)
    }

    /// The error a call ended with, or `nil` when it succeeded.
    static func failure<Value>(_ call: @Sendable () async throws -> Value) async -> JasperError? {
        do {
            _ = try await call()
            return nil
        } catch let error as JasperError {
            return error
        } catch {
            Issue.record("not a JasperError: \(error)")
            return nil
        }
    }

    @Test func lateAnswerAppliesTheEditAtOnceAndAnswersAfterTheClientsTimeout() async throws {
        let faults = SimulatorFaults(lateAnswerRate: 1, lateAnswerMs: Self.longDelayMs)
        let fixture = try SimulatorFixture(configuration: SimulatorConfiguration(faults: faults))
        let impatient = Self.impatient(fixture)
        defer {
            impatient.http.shutdown()
            fixture.shutdown()
        }
        let client = fixture.client(retry: .never)
        let iccid = fixture.firstICCID
        fixture.clock.advance(seconds: 60)
        await #expect(throws: JasperError.timeout(call: "PUT /devices/\(iccid)")) {
            try await impatient.client.editDevice(iccid, DeviceEdit(deviceID: "landed"))
        }
        let held = try await fixture.admin(SimulatedDeviceState.self, "devices/\(iccid)")
        #expect(held.device.device.deviceID == "landed", "the carrier holds the change")
        #expect(held.device.device.dateUpdated == JasperTimestamp.format(fixture.clock.now))
        #expect(held.auditTrail.map(\.value) == ["landed"])
        #expect(fixture.simulator.counters.editsByDevice == [iccid: 1])
        #expect(fixture.simulator.counters.calls["PUT /devices/{iccid}"] == ["200": 1], "counted while held back")
        // Reads are not answered late by the rate: the pipeline can read back what landed.
        #expect(try await client.device(iccid).deviceID == "landed")
        #expect(try await client.auditTrail(iccid).count == 1)
    }

    @Test func slowEditIsAppliedOnlyAfterItsWait() async throws {
        let fixture = try SimulatorFixture()
        let impatient = Self.impatient(fixture)
        defer {
            impatient.http.shutdown()
            fixture.shutdown()
        }
        let iccid = fixture.firstICCID
        let before = try #require(fixture.simulator.deviceState(iccid))
        fixture.simulator.setFaults(
            SimulatorFaults(deviceFaults: [iccid: DeviceFault(.slow, delayMs: Self.longDelayMs)]))
        await #expect(throws: JasperError.timeout(call: "PUT /devices/\(iccid)")) {
            try await impatient.client.editDevice(iccid, DeviceEdit(deviceID: "stalled"))
        }
        #expect(fixture.simulator.deviceState(iccid) == before, "nothing applied while the call waits")
        #expect(fixture.simulator.counters.editsByDevice.isEmpty)
    }

    @Test func lateAnswerForOneDeviceLeavesTheOthersPrompt() async throws {
        let fixture = try SimulatorFixture()
        let impatient = Self.impatient(fixture)
        defer {
            impatient.http.shutdown()
            fixture.shutdown()
        }
        let iccids = fixture.simulator.iccids
        let (editsLate, everythingLate, other) = (iccids[0], iccids[1], iccids[2])
        try await fixture.putFaults(
            SimulatorFaults(deviceFaults: [
                editsLate: DeviceFault(.lateAnswer, delayMs: Self.longDelayMs),
                everythingLate: DeviceFault(.lateAnswer, editsOnly: false, delayMs: Self.longDelayMs),
            ]))
        let client = fixture.client(retry: .never)
        let late = impatient.client
        // The three calls that outlast the timeout run side by side, so the test waits for it once.
        async let editOfEditsLate = Self.failure {
            try await late.editDevice(editsLate, DeviceEdit(deviceID: "late-1"))
        }
        async let editOfEverythingLate = Self.failure {
            try await late.editDevice(everythingLate, DeviceEdit(deviceID: "late-2"))
        }
        async let readOfEverythingLate = Self.failure { try await late.device(everythingLate) }
        let failures: [JasperError?] = await [editOfEditsLate, editOfEverythingLate, readOfEverythingLate]
        #expect(
            failures == [
                .timeout(call: "PUT /devices/\(editsLate)"), .timeout(call: "PUT /devices/\(everythingLate)"),
                .timeout(call: "GET /devices/\(everythingLate)"),
            ])
        #expect(fixture.simulator.deviceState(editsLate)?.device.device.deviceID == "late-1")
        #expect(fixture.simulator.deviceState(everythingLate)?.device.device.deviceID == "late-2")
        #expect(try await client.device(editsLate).deviceID == "late-1", "reads of it stay prompt")
        #expect(try await client.editDevice(other, DeviceEdit(deviceID: "prompt")).appliedLater == false)
        #expect(fixture.simulator.deviceState(other)?.device.device.deviceID == "prompt")
    }

    @Test func ignoredEditAnswers200AndLeavesTheDeviceAsItWas() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let iccid = fixture.firstICCID
        let before = try #require(fixture.simulator.deviceState(iccid))
        fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [iccid: DeviceFault(.ignore)]))
        fixture.clock.advance(seconds: 60)
        let receipt = try await fixture.client().editDevice(iccid, DeviceEdit(status: .retired, deviceID: "ghost"))
        #expect(receipt == EditReceipt(iccid: iccid, appliedLater: false))
        #expect(fixture.simulator.counters.calls["PUT /devices/{iccid}"] == ["200": 1])
        let after = try #require(fixture.simulator.deviceState(iccid))
        #expect(after == before, "same fields, same dateUpdated, no audit entry, nothing pending")
        #expect(after.auditTrail.isEmpty)
    }

    @Test func ignoredEditsAreTheSameForTheSameSeedWhateverTheOrder() async throws {
        func ignored(seed: UInt64, reversed: Bool) async throws -> Set<String> {
            let configuration = SimulatorConfiguration(faults: SimulatorFaults(ignoreEditRate: 0.5), seed: seed)
            let devices = GeneratedDevices.make(count: 40, seed: 5, accountId: "100", now: ManualClock().now)
            let fixture = try SimulatorFixture(configuration: configuration, devices: devices)
            defer { fixture.shutdown() }
            let client = fixture.client()
            let iccids = fixture.simulator.iccids
            for iccid in reversed ? iccids.reversed() : iccids {
                _ = try await client.device(iccid)  // reads in between draw nothing from these faults
                _ = try await client.editDevice(iccid, DeviceEdit(deviceID: "seeded"))
            }
            return Set(iccids.filter { fixture.simulator.deviceState($0)?.device.device.deviceID != "seeded" })
        }
        let forward = try await ignored(seed: 11, reversed: false)
        #expect(try await ignored(seed: 11, reversed: true) == forward)
        #expect(!forward.isEmpty && forward.count < 40)
        #expect(try await ignored(seed: 12, reversed: false) != forward, "another seed, other devices")
    }

    @Test func applyLaterForOneDeviceAnswers202AndLandsWhenTheClockPassesTheDelay() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let (later, prompt) = (fixture.simulator.iccids[0], fixture.simulator.iccids[1])
        let before = try #require(fixture.simulator.deviceState(later))
        fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [later: DeviceFault(.applyLater, delayMs: 5_000)]))
        let client = fixture.client()
        let accepted = fixture.clock.now
        #expect(try await client.editDevice(later, DeviceEdit(deviceID: "queued")).appliedLater)
        #expect(try await client.editDevice(prompt, DeviceEdit(deviceID: "now")).appliedLater == false)
        #expect(fixture.simulator.counters.calls["PUT /devices/{iccid}"] == ["202": 1, "200": 1])
        #expect(fixture.simulator.deviceState(prompt)?.device.device.deviceID == "now")

        var pending = try #require(fixture.simulator.deviceState(later))
        #expect(pending.device == before.device, "unchanged until the delay has passed")
        #expect(pending.scheduledChanges == [["deviceID": "queued"]])
        #expect(fixture.simulator.scheduledChangesByDevice == [later: 1])
        fixture.clock.advance(seconds: 4.999)
        #expect(try await client.device(later).deviceID == before.device.device.deviceID)
        fixture.clock.advance(seconds: 0.001)
        #expect(try await client.device(later).deviceID == "queued")
        pending = try #require(fixture.simulator.deviceState(later))
        #expect(pending.device.device.dateUpdated == JasperTimestamp.format(accepted.addingTimeInterval(5)))
        #expect(pending.auditTrail.map(\.value) == ["queued"])
        #expect(fixture.simulator.scheduledChangesByDevice.isEmpty)
    }

    @Test func applyLaterSwitchedOnAndOffThroughTheFaultsHook() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let client = fixture.client()
        let iccid = fixture.firstICCID
        try await fixture.putFaults(SimulatorFaults(applyLaterRate: 1, applyLaterMs: 2_000))
        #expect(try await client.editDevice(iccid, DeviceEdit(deviceID: "first")).appliedLater)
        try await fixture.putFaults(SimulatorFaults())
        #expect(try await client.editDevice(iccid, DeviceEdit(customer: "second")).appliedLater == false)
        #expect(try await client.device(iccid).customer == "second")
        #expect(try await client.device(iccid).deviceID != "first")
        #expect(try await fixture.admin([String: Int].self, "scheduled") == [iccid: 1])
        fixture.clock.advance(seconds: 2)
        #expect(try await client.device(iccid).deviceID == "first")
        #expect(try await fixture.admin([String: Int].self, "scheduled") == [:])
    }
}
