import BulkChange
import Foundation
import HTTP
import Jasper
import Store

/// Everything a command works with, opened from a configuration: the store (migrated, with the
/// configured tenants and providers), the HTTP client, and one Control Center endpoint per
/// provider (one rate limiter per account).
///
/// The workspace knows nothing of the Jasper simulator: a provider whose `baseURL` is
/// `builtin-simulator` reaches whatever `BuiltInControlCenter` the command layer hands in.
public final class Workspace: Sendable {
    public let configuration: PipelineConfiguration
    public let store: Store
    public let http: HTTPClient
    /// The clock of the pipeline (effective dates, usage windows, archival, scheduling).
    public let now: @Sendable () -> Date
    /// Whether this open created the configured providers (a new database).
    public let isFirstStart: Bool
    let verification: VerificationPolicy
    private let endpoints: [String: any JasperEndpoint]
    private let builtIn: BuiltInControlCenter?
    /// Closed by `stopCalls()`: no Control Center call starts after that.
    let gate: CallGate
    /// The leases this process holds on pieces of work.
    public let leases: Leases
    /// What this process's Control Center calls did, per provider.
    public let callMetrics: CallMetrics

    /// Opens the store and applies the configuration.
    ///
    /// - Throws: `PipelineError.configuration` first when the configuration has a value that
    ///   cannot work (a configuration built in code gets the same checks as a loaded one).
    ///
    /// - Parameters:
    ///   - builtIn: what providers on `builtin-simulator` talk to; without it they have no credentials.
    ///   - wrapEndpoint: puts something in front of each provider's endpoint, by provider name (tests
    ///     inject faults at chosen steps this way).
    ///   - verification: how accepted changes are read back; tests inject one that moves their clock.
    ///   - environment: where the database password variable is looked up.
    public static func open(
        _ configuration: PipelineConfiguration, now: @escaping @Sendable () -> Date = { Date() },
        builtIn: BuiltInControlCenter? = nil,
        wrapEndpoint: (@Sendable (any JasperEndpoint, String) -> any JasperEndpoint)? = nil,
        verification: VerificationPolicy? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(PipelineError) -> Workspace {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw .configuration(path: nil, problems: problems) }
        let location: StoreLocation
        do {
            location = try configuration.storeLocation(environment: environment)
        } catch {
            throw .configuration(path: nil, problems: [error])
        }
        let store: Store
        do {
            store = try await Store.open(location)
        } catch {
            throw .store(error)
        }
        let records = try configuration.serviceProviders.enumerated().map { index, settings throws(PipelineError) in
            try settings.record(at: ConfigurationPath.index(index, in: "serviceProviders"))
        }
        let firstStart = try await Self.registerTenantsAndProviders(configuration, records: records, in: store)
        let http = HTTPClient(
            configuration: HTTPClientConfiguration(requestTimeout: .seconds(configuration.requestTimeoutSeconds)))
        let gate = CallGate()
        let metrics = CallMetrics()
        var endpoints: [String: any JasperEndpoint] = [:]
        for record in records {
            guard
                let client = Self.client(
                    for: record, builtIn: builtIn, http: http, gate: gate, metrics: metrics,
                    configuration: configuration, shared: configuration.database == nil ? nil : store)
            else { continue }
            endpoints[record.name] = wrapEndpoint?(client, record.name) ?? client
        }
        return Workspace(
            configuration: configuration, store: store, http: http, now: now, isFirstStart: firstStart,
            verification: verification
                ?? VerificationPolicy(
                    checks: configuration.verificationChecks,
                    interval: .milliseconds(Int(configuration.verificationIntervalSeconds * 1000))),
            endpoints: endpoints, builtIn: builtIn, gate: gate, metrics: metrics)
    }

    private init(
        configuration: PipelineConfiguration, store: Store, http: HTTPClient, now: @escaping @Sendable () -> Date,
        isFirstStart: Bool, verification: VerificationPolicy, endpoints: [String: any JasperEndpoint],
        builtIn: BuiltInControlCenter?, gate: CallGate, metrics: CallMetrics
    ) {
        self.gate = gate
        callMetrics = metrics
        leases = Leases(
            store: store, duration: .seconds(configuration.leaseSeconds), now: now,
            recentCalls: { metrics.recentMinutes() })
        self.configuration = configuration
        self.store = store
        self.http = http
        self.now = now
        self.isFirstStart = isFirstStart
        self.verification = verification
        self.endpoints = endpoints
        self.builtIn = builtIn
    }

    /// The HTTP client of a provider whose API key can be found now, else `nil` (the pre-flight of
    /// each file says why). With a `shared` database, other workers may call the same account:
    /// its calls are then also taken from the account's budget in the store.
    private static func client(
        for record: ServiceProviderRecord, builtIn: BuiltInControlCenter?, http: HTTPClient, gate: CallGate,
        metrics: CallMetrics, configuration: PipelineConfiguration, shared: Store?
    ) -> JasperClient? {
        guard let key = try? Credentials.apiKey(for: record, builtIn: builtIn) else { return nil }
        let baseURL = record.apiKeySource == .builtInSimulator ? builtIn?.baseURL ?? record.baseURL : record.baseURL
        let account = JasperAccount(
            baseURL: baseURL, credentials: JasperCredentials(username: record.username, apiKey: key),
            callsPerSecond: record.callsPerSecond, maxInFlight: record.maxInFlight, retry: configuration.retryPolicy)
        let budget = shared.map {
            StoreCallBudget(
                store: $0, account: "\(record.baseURL) \(record.username)", callsPerSecond: record.callsPerSecond)
        }
        let provider = record.name
        let observer: @Sendable (JasperExchange) -> Void = { exchange in
            ExchangeLog.observer(exchange)
            metrics.record(exchange, provider: provider)
        }
        return JasperClient(account: account, http: http, observer: observer, gate: gate, budget: budget)
    }

    /// The Control Center endpoint of a provider, or why there is none (missing credentials).
    func endpoint(for provider: ServiceProviderRecord) throws(PreflightFailure) -> any JasperEndpoint {
        if let endpoint = endpoints[provider.name] { return endpoint }
        _ = try Credentials.apiKey(for: provider, builtIn: builtIn)
        throw .noCredentials("the API key of \(provider.name) was found only after bulkdrop started; start it again")
    }

    /// From now on no Control Center call starts; calls on the wire finish and are recorded.
    public func stopCalls() {
        gate.close()
    }

    /// Stops the HTTP client and closes the store.
    public func close() async {
        leases.stopRenewing()
        http.shutdown()
        await store.close()
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
}

/// The Control Center that providers on `builtin-simulator` reach: where it listens and the key
/// it accepts. The command layer starts the simulator and hands this in.
public struct BuiltInControlCenter: Sendable {
    /// The API root, such as `http://127.0.0.1:50123/rws/api/v1`.
    public var baseURL: String
    public var apiKey: String

    public init(baseURL: String, apiKey: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }
}
