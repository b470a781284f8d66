import Foundation

/// Faults to inject: rates are probabilities per call (0 = never, 1 = always), delays milliseconds.
///
/// The choices that concern one edit (`ignoreEditRate`, `lateAnswerRate`, `applyLaterRate`) depend
/// only on the simulator's seed, the device and how many edits of that device came before, so a run
/// repeated with the same seed hits the same edits whatever the order in which concurrent calls
/// arrive. The others (`serverErrorRate`, `slowRate`, `dropRate`) draw from one seeded sequence in
/// the order calls arrive.
///
/// As JSON (`PUT /_sim/faults`, `bulkdrop sim --faults FILE`) every key is optional and an unknown
/// key is refused, so a misspelt fault never passes silently.
public struct SimulatorFaults: Sendable, Codable, Equatable {
    /// Answer 500 with 30000001.
    public var serverErrorRate: Double
    /// Wait `slowDelayMs` before handling the call, to outlast a client's timeout: an edit is applied
    /// only after the wait (compare `lateAnswerRate`).
    public var slowRate: Double
    public var slowDelayMs: Int
    /// Close the connection without answering.
    public var dropRate: Double
    /// Answer an edit with success but change nothing and write no audit entry.
    public var ignoreEditRate: Double
    /// Apply an edit (`PUT /devices/{iccid}`) at once — state, audit trail, `dateUpdated` — and
    /// only then wait `lateAnswerMs` before answering: the carrier holds the change while the
    /// client, timed out, does not know. Reads are never answered late by this rate.
    public var lateAnswerRate: Double
    public var lateAnswerMs: Int
    /// Answer an edit 202 and apply it `applyLaterMs` later on the simulator's clock, as
    /// `SimulatorConfiguration.asyncEditDelay` does for every edit.
    public var applyLaterRate: Double
    public var applyLaterMs: Int
    /// Answer the next this many API calls with 500 / 30000001, then behave (a flaky endpoint).
    public var failNextCalls: Int
    /// Answer the next this many API calls as throttled (40000029, `throttleStatus`), then behave:
    /// throttling on cue, where `rateLimit` depends on how calls fall into real seconds.
    public var throttleNextCalls: Int
    /// Faults for single devices, by ICCID: a carrier that refuses, fails or stalls on some devices only.
    public var deviceFaults: [String: DeviceFault]

    public init(
        serverErrorRate: Double = 0, slowRate: Double = 0, slowDelayMs: Int = 0, dropRate: Double = 0,
        ignoreEditRate: Double = 0, lateAnswerRate: Double = 0, lateAnswerMs: Int = 0, applyLaterRate: Double = 0,
        applyLaterMs: Int = 0, failNextCalls: Int = 0, throttleNextCalls: Int = 0,
        deviceFaults: [String: DeviceFault] = [:]
    ) {
        self.serverErrorRate = serverErrorRate
        self.slowRate = slowRate
        self.slowDelayMs = slowDelayMs
        self.dropRate = dropRate
        self.ignoreEditRate = ignoreEditRate
        self.lateAnswerRate = lateAnswerRate
        self.lateAnswerMs = lateAnswerMs
        self.applyLaterRate = applyLaterRate
        self.applyLaterMs = applyLaterMs
        self.failNextCalls = failNextCalls
        self.throttleNextCalls = throttleNextCalls
        self.deviceFaults = deviceFaults
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case serverErrorRate, slowRate, slowDelayMs, dropRate, ignoreEditRate, lateAnswerRate, lateAnswerMs
        case applyLaterRate, applyLaterMs, failNextCalls, throttleNextCalls, deviceFaults
    }

    public init(from decoder: any Decoder) throws {
        try FaultKey.refuseUnknownKeys(in: decoder, known: CodingKeys.self, what: "fault")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        serverErrorRate = try container.decodeIfPresent(Double.self, forKey: .serverErrorRate) ?? 0
        slowRate = try container.decodeIfPresent(Double.self, forKey: .slowRate) ?? 0
        slowDelayMs = try container.decodeIfPresent(Int.self, forKey: .slowDelayMs) ?? 0
        dropRate = try container.decodeIfPresent(Double.self, forKey: .dropRate) ?? 0
        ignoreEditRate = try container.decodeIfPresent(Double.self, forKey: .ignoreEditRate) ?? 0
        lateAnswerRate = try container.decodeIfPresent(Double.self, forKey: .lateAnswerRate) ?? 0
        lateAnswerMs = try container.decodeIfPresent(Int.self, forKey: .lateAnswerMs) ?? 0
        applyLaterRate = try container.decodeIfPresent(Double.self, forKey: .applyLaterRate) ?? 0
        applyLaterMs = try container.decodeIfPresent(Int.self, forKey: .applyLaterMs) ?? 0
        failNextCalls = try container.decodeIfPresent(Int.self, forKey: .failNextCalls) ?? 0
        throttleNextCalls = try container.decodeIfPresent(Int.self, forKey: .throttleNextCalls) ?? 0
        deviceFaults = try container.decodeIfPresent([String: DeviceFault].self, forKey: .deviceFaults) ?? [:]
    }
}

extension SimulatorFaults {
    /// Faults from JSON as `PUT /_sim/faults` takes them.
    ///
    /// - Throws: `SimulatorFaultsError` naming what is wrong (not JSON, a wrong type, an unknown key).
    public static func fromJSON(_ data: Data) throws(SimulatorFaultsError) -> SimulatorFaults {
        do {
            return try JSONDecoder().decode(SimulatorFaults.self, from: data)
        } catch {
            throw SimulatorFaultsError(reason: JasperSimulator.reason(error))
        }
    }
}

/// Faults given as JSON that cannot be used.
public struct SimulatorFaultsError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, in one line, such as `unknown fault key "slowMs"; known keys: …`.
    public let reason: String

    public var description: String { "not usable as simulator faults: \(reason)" }
}

/// Any key of a JSON object, to find the ones a fault does not have.
struct FaultKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    /// Throws `DecodingError.dataCorrupted` naming the first key of the object that `known` lacks.
    static func refuseUnknownKeys<Known: CodingKey & CaseIterable>(
        in decoder: any Decoder, known: Known.Type, what: String
    ) throws {
        let container = try decoder.container(keyedBy: FaultKey.self)
        let names = Set(Known.allCases.map(\.stringValue))
        guard let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !names.contains($0) }) else {
            return
        }
        let expected = names.sorted().joined(separator: ", ")
        throw DecodingError.dataCorrupted(
            .init(
                codingPath: decoder.codingPath,
                debugDescription: "unknown \(what) key \"\(unknown)\"; known keys: \(expected)"))
    }
}
