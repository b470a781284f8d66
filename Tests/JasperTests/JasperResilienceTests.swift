import Foundation
import HTTP
import Jasper
import JasperSim
import Synchronization
import TestSupport
import Testing

/// Retries, throttling, timeouts, dropped connections and paging, against the simulator.
@Suite("Jasper client resilience")
struct JasperResilienceTests {
    @Test func flakyEndpointSucceedsOnTheThirdTry() async throws {
        let fixture = try SimulatorFixture(
            configuration: SimulatorConfiguration(faults: SimulatorFaults(failNextCalls: 2)))
        defer { fixture.shutdown() }
        let device = try await fixture.client().device(fixture.firstICCID)
        #expect(device.iccid == fixture.firstICCID)
        #expect(fixture.simulator.counters.calls["GET /devices/{iccid}"] == ["500": 2, "200": 1])
        #expect(fixture.exchanges.withLock { $0.map(\.attempt) } == [1, 2, 3])
    }

    @Test func deviceFaultsHitOnlyTheirDevice() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let (refused, ignored) = (fixture.simulator.iccids[0], fixture.simulator.iccids[1])
        fixture.simulator.setFaults(
            SimulatorFaults(deviceFaults: [refused: DeviceFault(.refuse), ignored: DeviceFault(.ignore)]))
        let client = fixture.client()
        let edit = DeviceEdit(deviceID: "renamed")
        await #expect(
            throws: JasperError.badRequest(
                call: "PUT /devices/\(refused)", status: 400, code: JasperErrorCode.invalidRequest,
                message: "The device cannot be changed at this time")
        ) { try await client.editDevice(refused, edit) }
        #expect(try await client.device(refused).iccid == refused)
        _ = try await client.editDevice(ignored, edit)
        #expect(try await client.device(ignored).deviceID != "renamed")
        _ = try await client.editDevice(fixture.simulator.iccids[2], edit)
        #expect(try await client.device(fixture.simulator.iccids[2]).deviceID == "renamed")
    }

    @Test func retriesStopAtTheCap() async throws {
        let fixture = try SimulatorFixture(
            configuration: SimulatorConfiguration(faults: SimulatorFaults(failNextCalls: 10)))
        defer { fixture.shutdown() }
        let client = fixture.client(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))
        await #expect(
            throws: JasperError.serverError(
                call: "GET /devices/\(fixture.firstICCID)", status: 500, code: "30000001",
                message: "Unknown server error")
        ) { try await client.device(fixture.firstICCID) }
        #expect(fixture.simulator.counters.total("GET /devices/{iccid}") == 3)
    }

    @Test func refusedCertificateIsReportedAfterOneAttemptWhateverTheRetryPolicy() async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let certificate = try await TestCertificate(in: folder.url)
        let server = try await HTTPSTestServer(certificate: certificate, in: folder.url)
        let account = JasperAccount(
            baseURL: server.baseURL + "/rws/api/v1", credentials: JasperCredentials(username: "demo", apiKey: "k"),
            callsPerSecond: 1000, maxInFlight: 4, retry: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(1)))
        let systemTrust = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(10)))
        let trustsTheServer = HTTPClient(
            configuration: HTTPClientConfiguration(requestTimeout: .seconds(10), caFile: certificate.certificate.path))
        defer {
            systemTrust.shutdown()
            trustsTheServer.shutdown()
        }
        let exchanges = Mutex<[JasperExchange]>([])
        let client = JasperClient(account: account, http: systemTrust) { exchange in
            exchanges.withLock { $0.append(exchange) }
        }

        var failure: JasperError?
        do throws(JasperError) {
            _ = try await client.echo("hello")
        } catch {
            failure = error
        }
        // The same server with its certificate trusted answers: the failure was the certificate alone.
        var answer: String?
        do throws(JasperError) {
            answer = try await JasperClient(account: account, http: trustsTheServer).echo("hello")
        } catch {
            Issue.record("with the CA file: \(error)")
        }
        await server.stop()
        #expect(answer == "hello")
        #expect(exchanges.withLock { $0.map(\.attempt) } == [1], "one attempt, no retry")
        guard case .tls(let call, let reason) = failure else {
            Issue.record("expected a TLS failure, got \(String(describing: failure))")
            return
        }
        #expect(call == "GET /echo/hello")
        #expect(reason.contains("certificate"), "libcurl's reason names the certificate: \(reason)")
    }

    @Test func throttlingOnCueIsRetriedAndCountedAlike() async throws {
        let fixture = try SimulatorFixture(
            configuration: SimulatorConfiguration(faults: SimulatorFaults(throttleNextCalls: 2)))
        defer { fixture.shutdown() }
        let client = fixture.client()
        #expect(try await client.device(fixture.firstICCID).iccid == fixture.firstICCID)
        #expect(fixture.simulator.counters.calls["GET /devices/{iccid}"] == ["429": 2, "200": 1])
        #expect(fixture.simulator.counters.throttledCalls == 2)
        #expect(await client.limiter.throttledCalls == 2)
    }

    @Test func throttledCallsAreRecognisedWhateverTheStatusAndRecovered() async throws {
        // Throttled on cue, with 400 as the status: the code alone says it is throttling.
        let configuration = SimulatorConfiguration(throttleStatus: 400, faults: SimulatorFaults(throttleNextCalls: 5))
        let fixture = try SimulatorFixture(configuration: configuration)
        defer { fixture.shutdown() }
        let client = fixture.client(
            callsPerSecond: 40, maxInFlight: 8,
            retry: RetryPolicy(maxAttempts: 20, baseDelay: .milliseconds(50), maxDelay: .milliseconds(400)))
        let iccid = fixture.firstICCID
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<30 { group.addTask { _ = try await client.device(iccid) } }
            try await group.waitForAll()
        }
        let throttled = await client.limiter.throttledCalls
        #expect(throttled == 5)
        #expect(fixture.simulator.counters.throttledCalls == throttled)
        #expect(await client.limiter.currentRate < 40)
        #expect(fixture.simulator.counters.calls["GET /devices/{iccid}"]?["200"] == 30)
    }

    @Test func slowAnswerTimesOut() async throws {
        let faults = SimulatorFaults(slowRate: 1, slowDelayMs: 400)
        let fixture = try SimulatorFixture(
            configuration: SimulatorConfiguration(faults: faults),
            httpConfiguration: HTTPClientConfiguration(requestTimeout: .milliseconds(100)))
        defer { fixture.shutdown() }
        let client = fixture.client(retry: .never)
        await #expect(throws: JasperError.timeout(call: "GET /devices/\(fixture.firstICCID)")) {
            try await client.device(fixture.firstICCID)
        }
    }

    @Test func droppedConnectionIsALostAnswerRetriedForReads() async throws {
        let fixture = try SimulatorFixture(configuration: SimulatorConfiguration(faults: SimulatorFaults(dropRate: 1)))
        defer { fixture.shutdown() }
        let client = fixture.client(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)))
        do {
            _ = try await client.device(fixture.firstICCID)
            Issue.record("expected a lost answer")
        } catch {
            guard case .noAnswer = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(error.isRetryable)
            #expect(error.mayHaveBeenApplied, "the carrier may have acted on it")
        }
        #expect(fixture.simulator.counters.calls["GET /devices/{iccid}"] == ["dropped": 2])
    }

    @Test func anEditWhoseAnswerIsLostIsNeverSentAgainByTheClient() async throws {
        let fixture = try SimulatorFixture(configuration: SimulatorConfiguration(faults: SimulatorFaults(dropRate: 1)))
        defer { fixture.shutdown() }
        let client = fixture.client(retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(1)))
        await #expect(throws: JasperError.self) {
            try await client.editDevice(fixture.firstICCID, DeviceEdit(status: .deactivated))
        }
        #expect(fixture.simulator.counters.calls["PUT /devices/{iccid}"] == ["dropped": 1], "one send, no blind retry")
    }

    @Test func searchFollowsEveryPage() async throws {
        let clock = ManualClock()
        let devices = GeneratedDevices.make(count: 120, seed: 3, accountId: "100", now: clock.now)
        let fixture = try SimulatorFixture(devices: devices)
        defer { fixture.shutdown() }
        let found = try await fixture.client().modifiedDevices(since: Date(timeIntervalSince1970: 0))
        #expect(found.count == 120)
        #expect(Set(found.map(\.iccid)).count == 120)
        #expect(fixture.simulator.counters.total("GET /devices") == 3)
    }

    @Test func auditTrailFollowsEveryPage() async throws {
        let fixture = try SimulatorFixture()
        defer { fixture.shutdown() }
        let client = fixture.client()
        let iccid = fixture.firstICCID
        for index in 0..<60 { _ = try await client.editDevice(iccid, DeviceEdit(deviceID: "name-\(index)")) }
        let trail = try await client.auditTrail(iccid)
        #expect(trail.count == 60)
        #expect(trail.first?.value == "name-59")
        #expect(fixture.simulator.counters.total("GET /devices/{iccid}/auditTrails") == 2)
    }

    @Test func unreachableServerIsAConnectionFailure() async throws {
        let http = HTTPClient()
        defer { http.shutdown() }
        let account = JasperAccount(
            baseURL: "http://127.0.0.1:1/rws/api/v1", credentials: JasperCredentials(username: "u", apiKey: "k"),
            retry: .never)
        do {
            _ = try await JasperClient(account: account, http: http).device("8901")
            Issue.record("expected a connection failure")
        } catch {
            guard case .connectionFailed = error else {
                Issue.record("got \(error)")
                return
            }
        }
    }
}
