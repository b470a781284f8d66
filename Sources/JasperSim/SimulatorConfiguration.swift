import Jasper

/// How the Jasper simulator behaves: its accounts, limits, latency and injected faults.
public struct SimulatorConfiguration: Sendable {
    /// API users the simulator accepts; each belongs to an account, which shares the rate limit.
    public var users: [SimulatorUser]
    /// Calls per second allowed per account; `nil` for no limit.
    public var rateLimit: Int?
    /// HTTP status of a throttled answer (the body always carries 40000029).
    public var throttleStatus: Int
    /// Added to every answer: `latency` plus a random amount up to `jitter`.
    public var latency: Duration
    public var jitter: Duration
    /// Edits answer 202 and take effect this much later, as Control Center may do; `nil` = at once.
    public var asyncEditDelay: Duration?
    public var faults: SimulatorFaults
    /// Seed of every random choice (faults, jitter), so a run can be repeated.
    public var seed: UInt64
    /// Rate plans and communication plans valid besides those the devices already use.
    public var extraRatePlans: [String]
    public var extraCommunicationPlans: [String]

    public init(
        users: [SimulatorUser] = [.demo], rateLimit: Int? = nil, throttleStatus: Int = 429,
        latency: Duration = .zero, jitter: Duration = .zero, asyncEditDelay: Duration? = nil,
        faults: SimulatorFaults = SimulatorFaults(), seed: UInt64 = 1, extraRatePlans: [String] = [],
        extraCommunicationPlans: [String] = []
    ) {
        self.users = users
        self.rateLimit = rateLimit
        self.throttleStatus = throttleStatus
        self.latency = latency
        self.jitter = jitter
        self.asyncEditDelay = asyncEditDelay
        self.faults = faults
        self.seed = seed
        self.extraRatePlans = extraRatePlans
        self.extraCommunicationPlans = extraCommunicationPlans
    }
}

/// An API user of the simulator: username, API key and the account it belongs to.
public struct SimulatorUser: Sendable, Codable, Equatable {
    public var username: String
    public var apiKey: String
    public var accountId: String

    public init(username: String, apiKey: String, accountId: String) {
        self.username = username
        self.apiKey = apiKey
        self.accountId = accountId
    }

    /// The user served when no accounts are given: `demo` / `demo-key`.
    public static let demo = SimulatorUser(username: "demo", apiKey: "demo-key", accountId: "100")
}
