import Foundation
import HTTP
import Jasper
import JasperSim
import Testing

/// The client against the simulator over loopback: every call, and every class of error.
@Suite("Jasper client ⇄ simulator")
struct JasperClientTests {
    @Test func getDeviceAndEcho() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let client = fixture.client()
        let device = try await client.device(fixture.firstICCID)
        #expect(device.iccid == fixture.firstICCID)
        #expect(device.accountId == "100")
        #expect(device.imei?.count == 15)
        #expect(try await client.echo("hello world") == "hello world")
    }

    @Test func unknownICCIDIsNotFoundAndNeverRetried() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        await #expect(
            throws: JasperError.notFound(call: "GET /devices/8901", message: "Resource not found - Invalid ICCID: 8901")
        ) {
            try await fixture.client().device("8901")
        }
        #expect(fixture.simulator.counters.total("GET /devices/{iccid}") == 1)
    }

    @Test func wrongKeyIsInvalidCredentialsAndTheKeyIsNeverShown() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let secret = "s3cr3t-key-value"
        let client = fixture.client(apiKey: secret)
        do {
            _ = try await client.device(fixture.firstICCID)
            Issue.record("expected invalid credentials")
        } catch {
            guard case .invalidCredentials = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(!error.description.contains(secret))
            #expect(!"\(error)".contains(secret))
        }
        #expect(fixture.simulator.counters.total("GET /devices/{iccid}") == 1)
        #expect(!"\(client.account)".contains(secret))
        #expect(!"\(client.account.credentials)".contains(secret))
        var dumped = ""
        dump(client.account, to: &dumped)
        #expect(!dumped.contains(secret))
        let base64 = Data("demo:\(secret)".utf8).base64EncodedString()
        for exchange in fixture.exchanges.withLock({ $0 }) {
            let text = "\(exchange)"
            #expect(!text.contains(secret) && !text.contains(base64))
        }
    }

    @Test func editChangesTheDeviceAndWritesTheAuditTrail() async throws {
        let fixture = try SimulatorFixture(
            configuration: SimulatorConfiguration(extraRatePlans: GeneratedDevices.ratePlans))
        defer { fixture.shutdown() }
        let client = fixture.client()
        let iccid = fixture.firstICCID
        let before = try await client.device(iccid)
        let plan = GeneratedDevices.ratePlans.first { $0 != before.ratePlan }!
        fixture.clock.advance(seconds: 60)
        let receipt = try await client.editDevice(iccid, DeviceEdit(ratePlan: plan, deviceID: "pump-7"))
        #expect(receipt == EditReceipt(iccid: iccid, appliedLater: false))
        let after = try await client.device(iccid)
        #expect(after.ratePlan == plan)
        #expect(after.deviceID == "pump-7")
        #expect(after.dateUpdated == JasperTimestamp.format(fixture.clock.now))
        let trail = try await client.auditTrail(iccid)
        #expect(Set(trail.map(\.field)) == ["ratePlan", "deviceID"])
        #expect(trail.first { $0.field == "ratePlan" }?.priorValue == before.ratePlan)
        #expect(trail.first { $0.field == "ratePlan" }?.value == plan)
    }

    @Test func editsControlCenterRefuses() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let client = fixture.client()
        let iccid = fixture.firstICCID
        let now = fixture.clock.now
        let refused: [(DeviceEdit, String)] = [
            (DeviceEdit(ratePlan: "No Such Plan"), "Invalid rate plan: No Such Plan"),
            (DeviceEdit(communicationPlan: "Nope"), "Invalid communication plan: Nope"),
            (DeviceEdit(status: .testReady), "Status TEST_READY cannot be set by an account"),
            (DeviceEdit(status: .purged), "Status PURGED cannot be set by an account"),
            (
                DeviceEdit(status: .activated, effectiveDate: now.addingTimeInterval(-3 * 86_400)),
                "effectiveDate is in the past"
            ),
            (
                DeviceEdit(status: .activated, effectiveDate: now.addingTimeInterval(181 * 86_400)),
                "effectiveDate cannot be more than 180 days in the future"
            ),
            (DeviceEdit(), "At least one device attribute to change is required"),
        ]
        for (edit, message) in refused {
            await #expect(
                throws: JasperError.badRequest(
                    call: "PUT /devices/\(iccid)", status: 400, code: "10000028", message: message)
            ) { try await client.editDevice(iccid, edit) }
        }
        _ = try await client.editDevice(iccid, DeviceEdit(status: .retired))
        await #expect(
            throws: JasperError.badRequest(
                call: "PUT /devices/\(iccid)", status: 400, code: "10000028",
                message: "Status cannot change from RETIRED")
        ) { try await client.editDevice(iccid, DeviceEdit(status: .activated)) }
    }

    @Test func malformedJSONAndUnknownFields() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let url = fixture.running.baseURL + "/devices/" + fixture.firstICCID
        let auth = "Basic " + Data("demo:demo-key".utf8).base64EncodedString()
        for (body, code) in [("{\"status\": ", "10000023"), ("{\"colour\": \"red\"}", "10000028")] {
            let response = try await fixture.http.send(
                HTTPRequest(method: "PUT", target: url, headers: ["Authorization": auth], body: Array(body.utf8)))
            #expect(response.status == 400)
            #expect(try JSONDecoder().decode(JasperErrorBody.self, from: Data(response.body)).errorCode == code)
        }
    }

    @Test func futureEffectiveDateIsHeldUntilDue() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let client = fixture.client()
        let iccid = fixture.firstICCID
        let before = try await client.device(iccid)
        let due = fixture.clock.now.addingTimeInterval(10 * 86_400)
        _ = try await client.editDevice(iccid, DeviceEdit(deviceID: "later", effectiveDate: due))
        #expect(try await client.device(iccid).deviceID == before.deviceID)
        fixture.clock.advance(days: 10)
        #expect(try await client.device(iccid).deviceID == "later")
        #expect(try await client.auditTrail(iccid).first?.effectiveDate == JasperTimestamp.format(due))
    }

    @Test func asynchronousEditAnswers202AndLandsLater() async throws {
        let fixture = try SimulatorFixture(configuration: SimulatorConfiguration(asyncEditDelay: .seconds(5)))
        defer { fixture.shutdown() }
        let client = fixture.client()
        let iccid = fixture.firstICCID
        let receipt = try await client.editDevice(iccid, DeviceEdit(deviceID: "async"))
        #expect(receipt.appliedLater)
        #expect(try await client.device(iccid).deviceID != "async")
        fixture.clock.advance(seconds: 5)
        #expect(try await client.device(iccid).deviceID == "async")
    }

    @Test func acceptedButIgnoredEditLeavesNoTrace() async throws {
        let fixture = try SimulatorFixture(
            configuration: SimulatorConfiguration(faults: SimulatorFaults(ignoreEditRate: 1)))
        defer { fixture.shutdown() }
        let client = fixture.client()
        let iccid = fixture.firstICCID
        _ = try await client.editDevice(iccid, DeviceEdit(deviceID: "ghost"))
        #expect(try await client.device(iccid).deviceID != "ghost")
        #expect(try await client.auditTrail(iccid).isEmpty)
    }

    @Test func otherAccountsDevicesAreNotFound() async throws {
        let users = [SimulatorUser.demo, SimulatorUser(username: "other", apiKey: "other-key", accountId: "200")]
        let fixture = try SimulatorFixture(configuration: SimulatorConfiguration(users: users))
        defer { fixture.shutdown() }
        let iccid = fixture.firstICCID
        await #expect(
            throws: JasperError.notFound(
                call: "GET /devices/\(iccid)", message: "Resource not found - Invalid ICCID: \(iccid)")
        ) { try await fixture.client(username: "other", apiKey: "other-key").device(iccid) }
    }

    @Test func usageAndRatePlans() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let client = fixture.client()
        let usage = try await client.usage(fixture.firstICCID)
        #expect(usage.iccid == fixture.firstICCID)
        let plans = try await client.ratePlans().map(\.name)
        #expect(Set(plans).isSubset(of: Set(GeneratedDevices.ratePlans)))
        #expect(!plans.isEmpty)
    }
}
