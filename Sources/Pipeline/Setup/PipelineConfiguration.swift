import BulkChange
import Foundation
import Jasper
import Store

/// Where BulkDrop keeps things and which carriers it talks to: read from `--config FILE` (JSON),
/// or the embedded defaults (local folders, SQLite under `var/`, tenant `demo` on the built-in
/// Jasper simulator).
public struct PipelineConfiguration: Codable, Sendable, Equatable {
    /// Database, claimed files and other run-time state.
    public var stateDirectory: String
    /// A shared PostgreSQL database instead of the SQLite file under `stateDirectory`.
    public var database: DatabaseSettings?
    public var inbox: String
    public var outbox: String
    /// Tenants to create at start.
    public var tenants: [String]
    public var serviceProviders: [ProviderSettings]
    /// Devices worked on at once per file (the limiter still caps calls in flight per account).
    public var fanOutWidth: Int
    /// Read-backs of an accepted change: how many, and seconds apart.
    public var verificationChecks: Int
    public var verificationIntervalSeconds: Double
    /// A Control Center call that takes longer is abandoned (and retried when allowed).
    public var requestTimeoutSeconds: Double
    /// Tries per call for transient errors (throttling, 5xx, timeouts), the first included, and the
    /// first back-off ceiling in seconds (it doubles per retry).
    public var retryAttempts: Int
    public var retryBaseDelaySeconds: Double
    /// How long a throttled call keeps being tried (throttling slows BulkDrop down; it fails a row
    /// only after this long).
    public var throttleRetrySeconds: Double
    /// How long a change Control Center accepted (202) keeps being checked before its row is settled.
    public var confirmationWindowHours: Double
    /// How long a lease on a piece of work lasts without renewal: after a process dies, another one
    /// takes its work over this long after its last renewal.
    public var leaseSeconds: Double
    /// The largest JSON file read, in megabytes (of 1,048,576 bytes); a larger one is refused
    /// before it is parsed. CSV files are streamed and have no limit.
    public var maxJSONFileMegabytes: Int
    /// Minutes between two inventory syncs of each provider in the service loop (`bulkdrop run`);
    /// 0, the default, leaves syncing to `bulkdrop devices sync`.
    public var inventorySyncMinutes: Int
    /// Who hears about failures, and through which mail server.
    public var notifications: NotificationSettings
    /// Where `bulkdrop run` serves health, metrics and its status page (`127.0.0.1:9180`); none when nil.
    public var listen: String?
    /// The environment variable holding the token every request to `listen` must carry; required
    /// when `listen` is not a loopback address.
    public var listenTokenEnvironment: String?

    public init(
        stateDirectory: String = "var", inbox: String = "inbox", outbox: String = "outbox",
        tenants: [String] = [EmbeddedDefaults.tenant],
        serviceProviders: [ProviderSettings] = [EmbeddedDefaults.provider],
        fanOutWidth: Int = 32, verificationChecks: Int = 10, verificationIntervalSeconds: Double = 3,
        requestTimeoutSeconds: Double = 30, retryAttempts: Int = 4, retryBaseDelaySeconds: Double = 0.5,
        throttleRetrySeconds: Double = 600, confirmationWindowHours: Double = 24, leaseSeconds: Double = 30,
        maxJSONFileMegabytes: Int = InputLimits.defaultMaxJSONMegabytes, inventorySyncMinutes: Int = 0,
        notifications: NotificationSettings = NotificationSettings(), database: DatabaseSettings? = nil,
        listen: String? = nil, listenTokenEnvironment: String? = nil
    ) {
        self.database = database
        self.listen = listen
        self.listenTokenEnvironment = listenTokenEnvironment
        self.leaseSeconds = leaseSeconds
        self.maxJSONFileMegabytes = maxJSONFileMegabytes
        self.inventorySyncMinutes = inventorySyncMinutes
        self.throttleRetrySeconds = throttleRetrySeconds
        self.confirmationWindowHours = confirmationWindowHours
        self.stateDirectory = stateDirectory
        self.inbox = inbox
        self.outbox = outbox
        self.tenants = tenants
        self.serviceProviders = serviceProviders
        self.fanOutWidth = fanOutWidth
        self.verificationChecks = verificationChecks
        self.verificationIntervalSeconds = verificationIntervalSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.retryAttempts = retryAttempts
        self.retryBaseDelaySeconds = retryBaseDelaySeconds
        self.notifications = notifications
    }

    /// The SQLite file, when `database` does not name a PostgreSQL database.
    public var databasePath: String { stateDirectory + "/bulkdrop.sqlite" }

    /// The database the store opens: PostgreSQL when `database` is set, else the SQLite file.
    ///
    /// - Throws: `ConfigurationProblem.secretUnavailable` when the password variable is not set.
    public func storeLocation(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationProblem) -> StoreLocation
    {
        guard let database else { return .sqlite(path: databasePath) }
        return .postgres(try database.address(environment: environment))
    }

    /// Whether any provider uses the built-in simulator (the embedded default).
    public var usesBuiltInSimulator: Bool {
        serviceProviders.contains { $0.baseURL == ProviderSettings.builtInSimulatorURL }
    }

    /// Reads a configuration file; missing keys take the embedded defaults.
    ///
    /// - Throws: `PipelineError.configuration` with every problem found: each key the
    ///   configuration does not have (with the nearest allowed one when it looks like a typo),
    ///   and each value that cannot work (see `problems()`), or else the first value of the wrong type.
    public static func load(path: String) throws(PipelineError) -> PipelineConfiguration {
        let data: Data
        do {
            data = try LocalFile.read(path)
        } catch {
            throw .configuration(path: path, problems: [.unreadable("\(error.reason); check the path")])
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw .configuration(path: path, problems: [.unreadable("not valid JSON: \(detail)")])
        }
        guard let object = parsed as? [String: Any] else {
            throw .configuration(
                path: path, problems: [.unreadable("not a JSON object; the settings go between { and }")])
        }
        var problems = keySet.unknownKeys(in: object, at: "")
        do {
            let configuration = try JSONDecoder().decode(PipelineConfiguration.self, from: data)
            problems += configuration.problems()
            if problems.isEmpty { return configuration }
        } catch let error as DecodingError {
            problems.append(.decoding(error))
        } catch {
            problems.append(.unreadable("\(error)"))
        }
        throw .configuration(path: path, problems: problems)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case stateDirectory, inbox, outbox, tenants, serviceProviders, fanOutWidth, verificationChecks
        case verificationIntervalSeconds, requestTimeoutSeconds, retryAttempts, retryBaseDelaySeconds, notifications
        case throttleRetrySeconds, confirmationWindowHours, leaseSeconds, maxJSONFileMegabytes, inventorySyncMinutes
        case database, listen, listenTokenEnvironment
    }

    /// The keys a configuration file may hold, at the top and in the objects under it.
    static let keySet = KeySet(
        CodingKeys.self,
        nested: [
            (.serviceProviders, .objects(ProviderSettings.keySet)),
            (.notifications, .object(NotificationSettings.keySet)),
            (.database, .object(DatabaseSettings.keySet)),
        ])

    public init(from decoder: any Decoder) throws {
        let defaults = PipelineConfiguration()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stateDirectory = try container.decodeIfPresent(String.self, forKey: .stateDirectory) ?? defaults.stateDirectory
        inbox = try container.decodeIfPresent(String.self, forKey: .inbox) ?? defaults.inbox
        outbox = try container.decodeIfPresent(String.self, forKey: .outbox) ?? defaults.outbox
        tenants = try container.decodeIfPresent([String].self, forKey: .tenants) ?? defaults.tenants
        serviceProviders =
            try container.decodeIfPresent([ProviderSettings].self, forKey: .serviceProviders)
            ?? defaults.serviceProviders
        fanOutWidth = try container.decodeIfPresent(Int.self, forKey: .fanOutWidth) ?? defaults.fanOutWidth
        verificationChecks =
            try container.decodeIfPresent(Int.self, forKey: .verificationChecks) ?? defaults.verificationChecks
        verificationIntervalSeconds =
            try container.decodeIfPresent(Double.self, forKey: .verificationIntervalSeconds)
            ?? defaults.verificationIntervalSeconds
        requestTimeoutSeconds =
            try container.decodeIfPresent(Double.self, forKey: .requestTimeoutSeconds) ?? defaults.requestTimeoutSeconds
        retryAttempts = try container.decodeIfPresent(Int.self, forKey: .retryAttempts) ?? defaults.retryAttempts
        retryBaseDelaySeconds =
            try container.decodeIfPresent(Double.self, forKey: .retryBaseDelaySeconds) ?? defaults.retryBaseDelaySeconds
        throttleRetrySeconds =
            try container.decodeIfPresent(Double.self, forKey: .throttleRetrySeconds) ?? defaults.throttleRetrySeconds
        confirmationWindowHours =
            try container.decodeIfPresent(Double.self, forKey: .confirmationWindowHours)
            ?? defaults.confirmationWindowHours
        leaseSeconds = try container.decodeIfPresent(Double.self, forKey: .leaseSeconds) ?? defaults.leaseSeconds
        maxJSONFileMegabytes =
            try container.decodeIfPresent(Int.self, forKey: .maxJSONFileMegabytes) ?? defaults.maxJSONFileMegabytes
        inventorySyncMinutes =
            try container.decodeIfPresent(Int.self, forKey: .inventorySyncMinutes) ?? defaults.inventorySyncMinutes
        notifications =
            try container.decodeIfPresent(NotificationSettings.self, forKey: .notifications) ?? defaults.notifications
        database = try container.decodeIfPresent(DatabaseSettings.self, forKey: .database)
        listen = try container.decodeIfPresent(String.self, forKey: .listen)
        listenTokenEnvironment = try container.decodeIfPresent(String.self, forKey: .listenTokenEnvironment)
    }

    /// The retry policy of every Control Center call.
    var retryPolicy: RetryPolicy {
        RetryPolicy(
            maxAttempts: max(1, retryAttempts), baseDelay: .milliseconds(Int(retryBaseDelaySeconds * 1000)),
            throttleBudget: .milliseconds(Int(throttleRetrySeconds * 1000)))
    }

    /// How large an input file may be.
    var inputLimits: InputLimits { InputLimits(maxJSONMegabytes: maxJSONFileMegabytes) }

    /// How long an accepted change is checked before its row is settled.
    var confirmationWindow: Duration { .seconds(confirmationWindowHours * 3600) }
}
