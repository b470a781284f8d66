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
