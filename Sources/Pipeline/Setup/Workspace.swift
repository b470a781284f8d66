import BulkChange
import Foundation
import HTTP
import Jasper
import JasperSim
import Store

/// Everything a command works with, opened from a configuration: the store (migrated, with the
/// configured tenants and providers), the HTTP client, the built-in simulator when a provider uses
/// it, and one Jasper client per provider (one rate limiter per account).
public final class Workspace: Sendable {
    public let configuration: PipelineConfiguration
    public let store: Store
    public let http: HTTPClient
    /// The in-process simulator, when a provider uses `builtin-simulator`.
    public let simulator: RunningSimulator?
    /// The clock of the pipeline (effective dates, usage windows, archival, scheduling).
    public let now: @Sendable () -> Date
    let verification: VerificationPolicy
    private let clients: [String: JasperClient]
    /// Whether the workspace started the simulator (and so saves and stops it), or was given it.
    private let ownsSimulator: Bool

    /// Opens the store, applies the configuration and, on the embedded defaults' first start,
    /// loads the demo inventory into the simulator and the store.
    ///
    /// - Throws: `PipelineError.configuration` first when the configuration has a value that
    ///   cannot work (a configuration built in code gets the same checks as a loaded one).
    ///
    /// - Parameters:
    ///   - simulator: a simulator to use as `builtin-simulator` (tests pass theirs); by default one is
    ///     started in-process when the configuration needs it, with its devices kept in the state directory.
    ///   - verification: how accepted changes are read back; tests inject one that moves their clock.
    public static func open(
        _ configuration: PipelineConfiguration, now: @escaping @Sendable () -> Date = { Date() },
        simulator: RunningSimulator? = nil, verification: VerificationPolicy? = nil
    ) async throws(PipelineError) -> Workspace {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw .configuration(path: nil, problems: problems) }
        let store: Store
        do {
            store = try await Store.open(at: configuration.databasePath)
        } catch {
            throw .store(error)
        }
        let records = try configuration.serviceProviders.enumerated().map { index, settings throws(PipelineError) in
            try settings.record(at: ConfigurationPath.index(index, in: "serviceProviders"))
        }
        let firstStart = try await Self.registerTenantsAndProviders(configuration, records: records, in: store)
        var running = simulator
        if running == nil, configuration.usesBuiltInSimulator {
            running = try Self.startSimulator(configuration, now: now, firstStart: firstStart)
        }
        let http = HTTPClient(
            configuration: HTTPClientConfiguration(requestTimeout: .seconds(configuration.requestTimeoutSeconds)))
        let workspace = Workspace(
            configuration: configuration, store: store, http: http, simulator: running, now: now,
            verification: verification
                ?? VerificationPolicy(
                    checks: configuration.verificationChecks,
                    interval: .milliseconds(Int(configuration.verificationIntervalSeconds * 1000))),
            records: records, ownsSimulator: simulator == nil)
        if firstStart, simulator == nil, configuration.usesBuiltInSimulator,
            configuration.tenants.contains(DemoSetup.tenant), let running
        {
            try await DemoSetup.seed(workspace, devices: running.simulator.allDevices)
        }
        workspace.saveSimulatorState()
        return workspace
    }

    private init(
        configuration: PipelineConfiguration, store: Store, http: HTTPClient, simulator: RunningSimulator?,
        now: @escaping @Sendable () -> Date, verification: VerificationPolicy, records: [ServiceProviderRecord],
        ownsSimulator: Bool
    ) {
        self.ownsSimulator = ownsSimulator
        self.configuration = configuration
        self.store = store
        self.http = http
        self.simulator = simulator
        self.now = now
        self.verification = verification
        var clients: [String: JasperClient] = [:]
        for record in records {
            guard let key = try? Credentials.apiKey(for: record, simulator: simulator) else { continue }
            let baseURL =
                record.apiKeySource == .builtInSimulator ? simulator?.baseURL ?? record.baseURL : record.baseURL
            let account = JasperAccount(
                baseURL: baseURL, credentials: JasperCredentials(username: record.username, apiKey: key),
                callsPerSecond: record.callsPerSecond, maxInFlight: record.maxInFlight,
                retry: configuration.retryPolicy)
            clients[record.name] = JasperClient(account: account, http: http, observer: ExchangeLog.observer)
        }
        self.clients = clients
    }

    /// The Jasper client of a provider, or why there is none (missing credentials).
    func client(for provider: ServiceProviderRecord) throws(PreflightFailure) -> JasperClient {
        if let client = clients[provider.name] { return client }
        _ = try Credentials.apiKey(for: provider, simulator: simulator)
        throw .noCredentials("the API key of \(provider.name) was found only after bulkdrop started; start it again")
    }

    /// Stops the HTTP client and the simulator, keeping the simulator's devices for the next run.
    public func close() async {
        http.shutdown()
        if ownsSimulator {
            saveSimulatorState()
            simulator?.shutdown()
        }
        await store.close()
    }

    /// Keeps the built-in simulator's devices in the state directory for the next run.
    private func saveSimulatorState() {
        guard ownsSimulator else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same devices give the same bytes
        guard let simulator, let data = try? encoder.encode(simulator.simulator.allDevices) else { return }
        try? data.write(to: URL(fileURLWithPath: configuration.simulatorStatePath), options: .atomic)
    }

    /// Creates the configured tenants and providers; `true` when the store had none of them before.
    private static func registerTenantsAndProviders(
        _ configuration: PipelineConfiguration, records: [ServiceProviderRecord], in store: Store
    ) async throws(PipelineError) -> Bool {
        do {
            return try await store.write { connection in
                var firstStart = true
                for record in records where try connection.provider(named: record.name) != nil { firstStart = false }
                for tenant in configuration.tenants { _ = try connection.ensureTenant(named: tenant) }
                for record in records { _ = try connection.upsertProvider(record) }
                return firstStart
            }
        } catch {
            throw .store(error)
        }
    }

    private static func startSimulator(
        _ configuration: PipelineConfiguration, now: @escaping @Sendable () -> Date, firstStart: Bool
    )
        throws(PipelineError) -> RunningSimulator
    {
        let statePath = configuration.simulatorStatePath
        var devices = DemoSetup.simulatorDevices(now: now())
        if !firstStart, let data = FileManager.default.contents(atPath: statePath),
            let saved = try? JSONDecoder().decode([SimulatedDevice].self, from: data)
        {
            devices = saved
        }
        let simulator = JasperSimulator(
            configuration: SimulatorConfiguration(extraCommunicationPlans: GeneratedDevices.communicationPlans),
            devices: devices, now: now)
        do {
            return try simulator.start()
        } catch {
            throw .simulator("\(error)")
        }
    }
}
