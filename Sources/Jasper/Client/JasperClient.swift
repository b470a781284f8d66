import Foundation
import HTTP

/// Typed calls to the Control Center REST API of one account.
///
/// Every call goes through the account's `RateLimiter`, carries HTTP Basic credentials, is
/// retried on retryable errors per the account's `RetryPolicy`, and is reported to `observer`
/// as a `JasperExchange` (without the credentials) for the log.
public final class JasperClient: JasperEndpoint {
    public let account: JasperAccount
    public let limiter: RateLimiter
    let httpClient: HTTPClient
    let observer: (@Sendable (JasperExchange) -> Void)?
    /// Closed when BulkDrop stops: no call starts after that.
    let gate: CallGate?
    /// The account's calls shared with other processes, when there are any.
    let budget: (any SharedCallBudget)?

    /// - Parameters:
    ///   - limiter: share one limiter between all clients of the same account. The retry waits
    ///     run on its clock too (a `ContinuousClock` unless the limiter was given another).
    ///   - gate: once closed, every call not yet on the wire fails with `.stopped`.
    ///   - budget: taken from by every call the limiter lets start, when workers share the account.
    public init(
        account: JasperAccount, http: HTTPClient, limiter: RateLimiter? = nil,
        observer: (@Sendable (JasperExchange) -> Void)? = nil, gate: CallGate? = nil,
        budget: (any SharedCallBudget)? = nil
    ) {
        self.gate = gate
        self.budget = budget
        self.account = account
        self.httpClient = http
        self.limiter = limiter ?? RateLimiter(callsPerSecond: account.callsPerSecond, maxInFlight: account.maxInFlight)
        self.observer = observer
    }

    /// `GET /devices/{iccid}`.
    public func device(_ iccid: String) async throws(JasperError) -> JasperDevice {
        try await decode(JasperDevice.self, method: "GET", path: "/devices/\(PercentEncoding.encode(iccid))")
    }

    /// `PUT /devices/{iccid}`: succeeds only on 2xx with the ICCID in the body.
    public func editDevice(_ iccid: String, _ edit: DeviceEdit) async throws(JasperError) -> EditReceipt {
        let path = "/devices/\(PercentEncoding.encode(iccid))"
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(edit))
        } catch {
            throw .badRequest(call: "PUT \(path)", status: 0, code: "", message: "cannot encode the edit: \(error)")
        }
        let response = try await perform(method: "PUT", path: path, body: body)
        struct Answer: Decodable { let iccid: String? }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body))
        guard answer?.iccid == iccid else {
            throw .malformedResponse(call: "PUT \(path)", reason: "the answer does not name ICCID \(iccid)")
        }
        return EditReceipt(iccid: iccid, appliedLater: response.status == 202)
    }

    /// `GET /devices?modifiedSince=…`, every page.
    public func modifiedDevices(since: Date) async throws(JasperError) -> [DeviceSummary] {
        try await allPages(path: "/devices", query: ["modifiedSince": JasperTimestamp.format(since), "pageSize": "50"])
    }

    /// `GET /devices/{iccid}/auditTrails?daysOfHistory=N`, every page, newest first.
    public func auditTrail(_ iccid: String, daysOfHistory: Int = 7) async throws(JasperError) -> [AuditTrailEntry] {
        try await allPages(
            path: "/devices/\(PercentEncoding.encode(iccid))/auditTrails", query: ["daysOfHistory": "\(daysOfHistory)"])
    }

    /// `GET /devices/{iccid}/ctdUsages`.
    public func usage(_ iccid: String) async throws(JasperError) -> DeviceUsage {
        try await decode(DeviceUsage.self, method: "GET", path: "/devices/\(PercentEncoding.encode(iccid))/ctdUsages")
    }

    /// `GET /rateplans`, every page.
    public func ratePlans() async throws(JasperError) -> [RatePlan] {
        try await allPages(path: "/rateplans", query: [:])
    }

    /// `GET /echo/{text}`: checks reachability and credentials.
    public func echo(_ text: String) async throws(JasperError) -> String {
        struct Echo: Decodable { let echo: String }
        return try await decode(Echo.self, method: "GET", path: "/echo/\(PercentEncoding.encode(text))").echo
    }

    private func allPages<Item: JasperListItem>(path: String, query: [String: String]) async throws(JasperError)
        -> [Item]
    {
        var items: [Item] = []
        var pageNumber = 1
        while true {
            var pageQuery = query
            pageQuery["pageNumber"] = "\(pageNumber)"
            let page = try await decode(JasperPage<Item>.self, method: "GET", path: path, query: pageQuery)
            items += page.items
            if page.lastPage || page.items.isEmpty { return items }
            pageNumber += 1
        }
    }

    private func decode<Value: Decodable>(
        _ type: Value.Type, method: String, path: String, query: [String: String] = [:]
    ) async throws(JasperError) -> Value {
        let response = try await perform(method: method, path: path, query: query)
        do {
            return try JSONDecoder().decode(Value.self, from: Data(response.body))
        } catch {
            throw .malformedResponse(call: "\(method) \(path)", reason: "cannot read the JSON answer: \(error)")
        }
    }
}

/// What an accepted edit answered.
public struct EditReceipt: Equatable, Sendable {
    public var iccid: String
    /// 202: Control Center accepted the edit and applies it later; read the device back to confirm.
    public var appliedLater: Bool

    public init(iccid: String, appliedLater: Bool) {
        self.iccid = iccid
        self.appliedLater = appliedLater
    }
}
