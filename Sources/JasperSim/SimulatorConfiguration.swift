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

/// Faults to inject, each a probability per call (0 = never, 1 = always).
public struct SimulatorFaults: Sendable, Codable, Equatable {
    /// Answer 500 with 30000001.
    public var serverErrorRate: Double
    /// Answer only after `slowDelayMs`, to outlast a client's timeout.
    public var slowRate: Double
    public var slowDelayMs: Int
    /// Close the connection without answering.
    public var dropRate: Double
    /// Answer an edit with success but change nothing and write no audit entry.
    public var ignoreEditRate: Double
    /// Answer the next this many API calls with 500 / 30000001, then behave (a flaky endpoint).
    public var failNextCalls: Int
    /// Answer the next this many API calls as throttled (40000029, `throttleStatus`), then behave:
    /// throttling on cue, where `rateLimit` depends on how calls fall into real seconds.
    public var throttleNextCalls: Int
    /// Faults for single devices, by ICCID: a carrier that refuses, fails or stalls on some devices only.
    public var deviceFaults: [String: DeviceFault]

    public init(
        serverErrorRate: Double = 0, slowRate: Double = 0, slowDelayMs: Int = 0, dropRate: Double = 0,
        ignoreEditRate: Double = 0, failNextCalls: Int = 0, throttleNextCalls: Int = 0,
        deviceFaults: [String: DeviceFault] = [:]
    ) {
        self.serverErrorRate = serverErrorRate
        self.slowRate = slowRate
        self.slowDelayMs = slowDelayMs
        self.dropRate = dropRate
        self.ignoreEditRate = ignoreEditRate
        self.failNextCalls = failNextCalls
        self.throttleNextCalls = throttleNextCalls
        self.deviceFaults = deviceFaults
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        serverErrorRate = try container.decodeIfPresent(Double.self, forKey: .serverErrorRate) ?? 0
        slowRate = try container.decodeIfPresent(Double.self, forKey: .slowRate) ?? 0
        slowDelayMs = try container.decodeIfPresent(Int.self, forKey: .slowDelayMs) ?? 0
        dropRate = try container.decodeIfPresent(Double.self, forKey: .dropRate) ?? 0
        ignoreEditRate = try container.decodeIfPresent(Double.self, forKey: .ignoreEditRate) ?? 0
        failNextCalls = try container.decodeIfPresent(Int.self, forKey: .failNextCalls) ?? 0
        throttleNextCalls = try container.decodeIfPresent(Int.self, forKey: .throttleNextCalls) ?? 0
        deviceFaults = try container.decodeIfPresent([String: DeviceFault].self, forKey: .deviceFaults) ?? [:]
    }
}

/// A fault on one device's calls (`/devices/{iccid}…`).
public struct DeviceFault: Sendable, Codable, Equatable {
    /// What goes wrong.
    public enum Kind: String, Sendable, Codable {
        /// 400 / 10000028, as when Control Center will not make this change.
        case refuse
        /// 500 / 30000001 on every try.
        case serverError
        /// Answers after `slowDelayMs`, to outlast a client's timeout.
        case slow
        /// Answers an edit with success but changes nothing ("accepted but not applied").
        case ignore
    }

    public var kind: Kind
    /// Only `PUT /devices/{iccid}` is affected; reads behave.
    public var editsOnly: Bool
    public var slowDelayMs: Int

    public init(_ kind: Kind, editsOnly: Bool = true, slowDelayMs: Int = 0) {
        self.kind = kind
        self.editsOnly = editsOnly
        self.slowDelayMs = slowDelayMs
    }
}
