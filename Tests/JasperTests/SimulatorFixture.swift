import Foundation
import HTTP
import Jasper
import JasperSim
import Synchronization

/// A simulator served on a loopback port, and a client for it; `shutdown()` stops both.
final class SimulatorFixture: Sendable {
    let running: RunningSimulator
    let http: HTTPClient
    let clock: ManualClock
    let exchanges = Mutex<[JasperExchange]>([])

    static let apiKey = "demo-key"

    var simulator: JasperSimulator { running.simulator }

    /// - Parameter rateWindow: the simulator's rate-limit second; real monotonic time when `nil`.
    init(
        configuration: SimulatorConfiguration = SimulatorConfiguration(), devices: [SimulatedDevice]? = nil,
        httpConfiguration: HTTPClientConfiguration = HTTPClientConfiguration(requestTimeout: .seconds(10)),
        rateWindow: (@Sendable () -> Int64)? = nil
    ) throws {
        let clock = ManualClock()
        self.clock = clock
        let devices = devices ?? GeneratedDevices.make(count: 5, seed: 7, accountId: "100", now: clock.now)
        let simulator = JasperSimulator(
            configuration: configuration, devices: devices, now: { clock.now },
            rateWindow: rateWindow ?? JasperSimulator.monotonicSecond)
        running = try simulator.start()
        http = HTTPClient(configuration: httpConfiguration)
    }

    /// A client of the demo account; fast retries so tests stay quick.
    func client(
        username: String = "demo", apiKey: String = apiKey, callsPerSecond: Double = 1000, maxInFlight: Int = 64,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(2), maxDelay: .milliseconds(20))
    ) -> JasperClient {
        let account = JasperAccount(
            baseURL: running.baseURL, credentials: JasperCredentials(username: username, apiKey: apiKey),
            callsPerSecond: callsPerSecond, maxInFlight: maxInFlight, retry: retry)
        return JasperClient(account: account, http: http) { [self] exchange in
            exchanges.withLock { $0.append(exchange) }
        }
    }

    var firstICCID: String { simulator.iccids[0] }

    /// `/_sim/PATH` over HTTP, decoded as `Value`.
    func admin<Value: Decodable>(
        _ type: Value.Type, _ path: String, method: String = "GET", body: [UInt8] = []
    ) async throws -> Value {
        let response = try await http.send(
            HTTPRequest(method: method, target: running.server.baseURL + "/_sim/" + path, body: body))
        return try JSONDecoder().decode(Value.self, from: Data(response.body))
    }

    /// `PUT /_sim/faults` over HTTP, as a rehearsal script sets faults.
    func putFaults(_ faults: SimulatorFaults) async throws {
        _ = try await admin(
            SimulatorFaults.self, "faults", method: "PUT", body: Array(try JSONEncoder().encode(faults)))
    }

    func shutdown() {
        http.shutdown()
        running.shutdown()
    }
}
