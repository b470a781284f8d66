/// A Jasper-family account BulkDrop talks to, with its pacing and where its API key comes from.
public struct ServiceProviderRecord: Sendable, Equatable {
    /// Nil until stored.
    public var id: Int64?
    /// Unique across the database.
    public var name: String
    public var integration: IntegrationType
    /// The REST base, e.g. `https://rws.example.com/rws/api/v1`.
    public var baseURL: String
    /// The API user for HTTP Basic.
    public var username: String
    /// Where the API key is read at run time; the key itself is never stored.
    public var apiKeySource: APIKeySource
    /// False stops every change for this provider before the first call.
    public var writesEnabled: Bool
    /// The account's rate limit.
    public var callsPerSecond: Double
    /// The most calls in flight at once.
    public var maxInFlight: Int
    /// The Jasper field that holds a device's username (`deviceID` unless configured).
    public var usernameField: String

    /// A provider record; `id` stays nil for one not stored yet.
    public init(
        id: Int64? = nil, name: String, integration: IntegrationType, baseURL: String, username: String,
        apiKeySource: APIKeySource, writesEnabled: Bool, callsPerSecond: Double, maxInFlight: Int,
        usernameField: String = "deviceID"
    ) {
        self.id = id
        self.name = name
        self.integration = integration
        self.baseURL = baseURL
        self.username = username
        self.apiKeySource = apiKeySource
        self.writesEnabled = writesEnabled
        self.callsPerSecond = callsPerSecond
        self.maxInFlight = maxInFlight
        self.usernameField = usernameField
    }
}

/// The flavour of Jasper a provider runs; all share the same REST paths.
public enum IntegrationType: String, Sendable, CaseIterable {
    case pod19 = "POD19"
    case jasper = "Jasper"
    case tMobileJasper = "TMobileJasper"
    case rogers = "Rogers"
}

/// Where a provider's API key is found when a run starts.
public enum APIKeySource: Equatable, Sendable {
    /// The named environment variable.
    case environment(String)
    /// The first line of the file at this path.
    case file(String)
    /// The key the built-in simulator accepts.
    case builtInSimulator

    /// The stored form: `env:NAME`, `file:/path` or `simulator`.
    public var text: String {
        switch self {
        case .environment(let name): return "env:\(name)"
        case .file(let path): return "file:\(path)"
        case .builtInSimulator: return "simulator"
        }
    }

    /// Reads the stored form; nil for anything else.
    public init?(text: String) {
        if text == "simulator" {
            self = .builtInSimulator
        } else if text.hasPrefix("env:"), text.count > 4 {
            self = .environment(String(text.dropFirst(4)))
        } else if text.hasPrefix("file:"), text.count > 5 {
            self = .file(String(text.dropFirst(5)))
        } else {
            return nil
        }
    }
}
