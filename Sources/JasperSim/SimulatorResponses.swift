import Foundation
import HTTP
import Jasper

/// Building the simulator's answers: JSON bodies and Control Center's error format.
enum SimulatorResponse {
    static func json<Value: Encodable>(_ value: Value, status: Int = 200) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(body))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        json(JasperErrorBody(errorCode: code, errorMessage: message), status: status)
    }

    static func invalidRequest(_ message: String) -> HTTPResponse {
        error(400, JasperErrorCode.invalidRequest, message)
    }

    static func notFound(_ iccid: String) -> HTTPResponse {
        error(404, JasperErrorCode.notFound, "Resource not found - Invalid ICCID: \(iccid)")
    }
}

/// What the simulator counted since start or the last reset (`GET /_sim/counters`).
public struct SimulatorCounters: Codable, Equatable, Sendable {
    /// API calls by endpoint (`PUT /devices/{iccid}`) and by outcome (HTTP status, `dropped`); the
    /// `/_sim/` hooks are not counted.
    public var calls: [String: [String: Int]] = [:]
    /// Edits (`PUT /devices/{iccid}`) that got past authentication, the rate limit and injected
    /// faults, by ICCID: how often each device was asked to change.
    public var editsByDevice: [String: Int] = [:]
    public var throttledCalls = 0
    public var maxConcurrentCalls = 0
    public var concurrentCalls = 0

    public init() {}

    /// All calls to `endpoint` whatever their outcome.
    public func total(_ endpoint: String) -> Int {
        calls[endpoint, default: [:]].values.reduce(0, +)
    }

    /// All API calls whatever their endpoint and outcome, throttled ones included; the `/_sim/`
    /// hooks are never counted.
    public var totalCalls: Int {
        calls.values.flatMap(\.values).reduce(0, +)
    }

    mutating func record(_ endpoint: String, outcome: String) {
        calls[endpoint, default: [:]][outcome, default: 0] += 1
    }
}
