import BuiltInSimulator
import BulkChange
import Foundation
import Jasper
import JasperSim
import Pipeline
import Store
import TestSupport
import Testing

/// A real pipeline in a temporary folder: a SQLite file, the simulator on a loopback port with a
/// manual clock, and two tenants. `acme` owns the first `inventory` devices, `other` the next two;
/// the last `spares` devices are ACTIVATION_READY SIMs on the account: the first is acme's spare
/// (in its inventory), the second is in nobody's inventory.
final class PipelineFixture: Sendable {
    let folder: String
    let clock: ManualClock
    let running: RunningSimulator
    let workspace: Workspace
    let devices: [SimulatedDevice]
    /// The environment workspaces on this fixture's store open with (it holds the database password).
    let environment: [String: String]

    static let inventory = 8
    static let spares = 2

    var simulator: JasperSimulator { running.simulator }

    /// - Parameters:
    ///   - verificationChecks: read-backs of an accepted change; each pause moves the clock by `interval`.
    ///   - engine: the database, a SQLite file in the folder or a fresh database on the test run's
    ///     PostgreSQL server.
    static func make(
        simulator configuration: SimulatorConfiguration = SimulatorConfiguration(), verificationChecks: Int = 3,
        callsPerSecond: Double = 1000, writesEnabled: Bool = true, apiKeyEnvironment: String? = nil,
        requestTimeoutSeconds: Double = 10, retryAttempts: Int = 3, costCenterFields: [String] = [],
        notifications: NotificationSettings = NotificationSettings(), inventorySyncMinutes: Int = 0,
        wrapEndpoint: (@Sendable (any JasperEndpoint, String) -> any JasperEndpoint)? = nil,
        engine: TestEngine = .sqlite
    ) async throws -> PipelineFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let clock = ManualClock()
        var devices = GeneratedDevices.make(count: inventory + 2 + spares, seed: 11, accountId: "100", now: clock.now)
        for index in (inventory + 2)..<devices.count {
            devices[index].device.status = SIMStatus.activationReady.rawValue
        }
        var configuration = configuration
        configuration.extraRatePlans += GeneratedDevices.ratePlans
        let running = try JasperSimulator(configuration: configuration, devices: devices, now: { clock.now }).start()
        let provider = ProviderSettings(
            name: "POD19", baseURL: apiKeyEnvironment == nil ? ProviderSettings.builtInSimulatorURL : running.baseURL,
            username: "demo", apiKeyEnvironment: apiKeyEnvironment, writesEnabled: writesEnabled,
            callsPerSecond: callsPerSecond, maxInFlight: 8, costCenterFields: costCenterFields)
        let (database, environment) = try await engine.databaseSettings()
        let pipeline = PipelineConfiguration(
            stateDirectory: folder + "/var", inbox: folder + "/inbox", outbox: folder + "/outbox",
            tenants: ["acme", "other"], serviceProviders: [provider], fanOutWidth: 8,
            requestTimeoutSeconds: requestTimeoutSeconds, retryAttempts: retryAttempts, retryBaseDelaySeconds: 0.02,
            inventorySyncMinutes: inventorySyncMinutes, notifications: notifications, database: database)
        let verification = VerificationPolicy(checks: verificationChecks, interval: .seconds(60)) { pause in
            clock.advance(by: pause)
        }
        let workspace: Workspace
        do {
            workspace = try await Workspace.open(
                pipeline, now: { clock.now }, builtIn: running.demoAccess, wrapEndpoint: wrapEndpoint,
                verification: verification, environment: environment)
        } catch {
            running.shutdown()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        let fixture = PipelineFixture(
            folder: folder, clock: clock, running: running, workspace: workspace, devices: devices,
            environment: environment)
        do {
            // acme's devices and its one spare SIM; the last spare is in nobody's inventory.
            try await workspace.loadInventory(
                Array(devices.prefix(inventory)) + [devices[inventory + 2]], tenant: "acme", provider: "POD19")
            try await workspace.loadInventory(
                Array(devices[inventory..<(inventory + 2)]), tenant: "other", provider: "POD19")
            if apiKeyEnvironment == nil {
                _ = try await InventorySync(workspace: workspace).syncRatePlans(provider: "POD19")
            }
        } catch {
            await fixture.close()
            throw error
        }
        running.simulator.reset()  // counters start at zero for the test
        return fixture
    }

    private init(
        folder: String, clock: ManualClock, running: RunningSimulator, workspace: Workspace, devices: [SimulatedDevice],
        environment: [String: String]
    ) {
        self.environment = environment
        self.folder = folder
        self.clock = clock
        self.running = running
        self.workspace = workspace
        self.devices = devices
    }

    /// Another workspace on the same folder, store and simulator, as after a restart (with other
    /// notification settings, when given). Close it before the fixture.
    func reopen(notifications: NotificationSettings? = nil) async throws -> Workspace {
        var configuration = workspace.configuration
        if let notifications { configuration.notifications = notifications }
        let verification = VerificationPolicy(checks: 3, interval: .seconds(60)) { [clock] pause in
            clock.advance(by: pause)
        }
        return try await Workspace.open(
            configuration, now: { [clock] in clock.now }, builtIn: running.demoAccess, verification: verification,
            environment: environment)
    }

    /// Runs `body` with this fixture and closes it afterwards, also when `body` throws (a failed
    /// `#require`), so no simulator, store or folder outlives its test.
    func use<T>(_ body: (PipelineFixture) async throws -> T) async throws -> T {
        let value: T
        do {
            value = try await body(self)
        } catch {
            await close()
            throw error
        }
        await close()
        return value
    }

    func close() async {
        await workspace.close()
        running.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The ICCID of device `index` (0..<8 acme, 8..<10 other, then spares).
    func iccid(_ index: Int) -> String { devices[index].device.iccid }

    /// The first acme devices whose initial status is `status`.
    func acmeDevices(withStatus status: SIMStatus) -> [Int] {
        (0..<Self.inventory).filter { devices[$0].device.status == status.rawValue }
    }

    /// The UTC day `days` after the fixture's clock, as `YYYY-MM-DD`.
    func day(after days: Double) -> String {
        clock.now.addingTimeInterval(days * 86_400).formatted(Date.ISO8601FormatStyle().year().month().day())
    }

    /// Writes an input file into the fixture's folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs a file for acme and checks the invariant every run must keep.
    func run(_ path: String, tenant: String = "acme") async throws -> RunReport {
        let report = try await BulkChangeRunner(workspace: workspace).run(path: path, tenant: tenant)
        let input = try InputFile.read(path: path)
        #expect(report.results.count == input.rows.count, "one result row per input data row")
        #expect(report.results.map(\.row) == input.rows.map(\.number), "results in input order")
        let details = try await workspace.store.read { connection throws(StoreError) in
            try connection.details(bulkChangeID: report.summary.bulkChangeID)
        }
        #expect(details.map(\.status) == report.results.map(\.outcomeLabel), "the store agrees with the results")
        return report
    }

    /// The store's record of a device of `tenant`.
    func stored(_ iccid: String, tenant: String = "acme") async throws -> DeviceRecord? {
        try await workspace.store.read { connection throws(StoreError) in
            guard let tenantID = try connection.tenantID(named: tenant),
                let providerID = try connection.provider(named: "POD19")?.id
            else { return nil }
            return try connection.devices(tenantID: tenantID, providerID: providerID, iccids: [iccid])[iccid]
        }
    }

    /// The simulator's view of a device.
    func carrier(_ iccid: String) -> JasperDevice? { simulator.deviceState(iccid)?.device.device }

    /// Reads a text file from the outbox, byte order mark included.
    func outboxText(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// The lines of an outbox CSV file, split at CRLF, without the byte order mark and without the
    /// empty text after the last line break.
    func outboxLines(_ path: String) throws -> [String] {
        var text = try outboxText(path)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines = text.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The names in a tenant's outbox folder, sorted.
    func outboxFiles(tenant: String = "acme") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: workspace.configuration.outbox + "/" + tenant).sorted()
    }
}

extension RunningSimulator {
    /// The simulator as the workspace's built-in Control Center, with the demo account's key.
    var demoAccess: BuiltInControlCenter {
        BuiltInControlCenter(baseURL: baseURL, apiKey: SimulatorUser.demo.apiKey)
    }
}
