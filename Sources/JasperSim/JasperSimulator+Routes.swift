import Foundation
import HTTP
import Jasper

extension JasperSimulator {
    /// Control Center's page size for lists.
    static let pageSize = 50

    /// Dispatches an authenticated API call; `edit` is what the injected faults do to an edit.
    func route(_ request: HTTPRequest, user: SimulatorUser, edit: EditFaults) -> HTTPResponse {
        let parts = request.path.dropFirst(Self.apiRoot.count).split(separator: "/").map {
            PercentEncoding.decode(String($0))
        }
        switch (request.method, parts.count, parts.first) {
        case ("GET", 1, "devices"): return searchDevices(request.query, user: user)
        case ("GET", 2, "devices"): return getDevice(parts[1], user: user)
        case ("PUT", 2, "devices"): return editDevice(parts[1], body: request.body, user: user, faults: edit)
        case ("GET", 3, "devices") where parts[2] == "auditTrails":
            return auditTrail(parts[1], query: request.query, user: user)
        case ("GET", 3, "devices") where parts[2] == "ctdUsages": return usage(parts[1], user: user)
        case ("GET", 1, "rateplans"): return ratePlans(request.query)
        case ("GET", 2, "echo"): return SimulatorResponse.json(["echo": parts[1]])
        default: return SimulatorResponse.invalidRequest("Unknown resource: \(request.method) \(request.path)")
        }
    }

    private func getDevice(_ iccid: String, user: SimulatorUser) -> HTTPResponse {
        state.withLock { state in
            state.applyDue(now: now())
            guard let simulated = state.devices[iccid], simulated.device.accountId == user.accountId else {
                return SimulatorResponse.notFound(iccid)
            }
            return SimulatorResponse.json(simulated.device)
        }
    }

    /// `PUT /devices/{iccid}`: checked as Control Center does, then ignored (`faults.ignore`), held
    /// until its effective date (200), held for `faults.applyLater` or the configuration's
    /// `asyncEditDelay` (202), or applied now (200).
    private func editDevice(_ iccid: String, body: [UInt8], user: SimulatorUser, faults: EditFaults) -> HTTPResponse {
        state.withLock { state in
            state.counters.editsByDevice[iccid, default: 0] += 1
            let time = now()
            state.applyDue(now: time)
            guard let simulated = state.devices[iccid], simulated.device.accountId == user.accountId else {
                return SimulatorResponse.notFound(iccid)
            }
            let edit: EditValidation.Edit
            switch EditValidation.check(body: body, device: simulated.device, state: state, now: time) {
            case .failure(let box): return box.response
            case .success(let checked): edit = checked
            }
            let answer = ["iccid": iccid]
            if faults.ignore { return SimulatorResponse.json(answer) }
            if let effectiveDate = edit.effectiveDate {
                state.scheduled.append(
                    ScheduledEdit(due: effectiveDate, iccid: iccid, changes: edit.changes, user: user.username))
                return SimulatorResponse.json(answer)
            }
            if let delay = faults.applyLater ?? configuration.asyncEditDelay {
                let due = time.addingTimeInterval(
                    Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
                state.scheduled.append(
                    ScheduledEdit(due: due, iccid: iccid, changes: edit.changes, user: user.username))
                return SimulatorResponse.json(answer, status: 202)
            }
            state.apply(edit.changes, to: iccid, at: time, by: user.username)
            return SimulatorResponse.json(answer)
        }
    }

    /// `GET /devices?modifiedSince=…&pageSize=…&pageNumber=…`: the account's devices whose
    /// `dateUpdated` is at or after `modifiedSince`, by ICCID, `pageSize` (at most 50) a page.
    private func searchDevices(_ query: [String: String], user: SimulatorUser) -> HTTPResponse {
        guard let sinceText = query["modifiedSince"] else {
            return SimulatorResponse.invalidRequest("modifiedSince is required")
        }
        guard let since = Self.modifiedSince(sinceText) else {
            return SimulatorResponse.invalidRequest("Invalid modifiedSince: \(sinceText)")
        }
        let (size, page): (Int, Int)
        switch Self.paging(query) {
        case .failure(let box): return box.response
        case .success(let paging): (size, page) = paging
        }
        let summaries = state.withLock { state in
            state.applyDue(now: now())
            if let listing = state.listing, listing.account == user.accountId, listing.since == since {
                return listing.summaries
            }
            let summaries = state.devices.values
                .filter { simulated in
                    simulated.device.accountId == user.accountId
                        && (simulated.device.dateUpdated.flatMap(JasperTimestamp.parse).map { $0 >= since } ?? false)
                }
                .map {
                    DeviceSummary(
                        iccid: $0.device.iccid, status: $0.device.status, ratePlan: $0.device.ratePlan,
                        communicationPlan: $0.device.communicationPlan)
                }
                .sorted { $0.iccid < $1.iccid }
            state.listing = (user.accountId, since, summaries)
            return summaries
        }
        return SimulatorResponse.json(Self.page(summaries, number: page, size: size))
    }

    private func auditTrail(_ iccid: String, query: [String: String], user: SimulatorUser) -> HTTPResponse {
        let days = Int(query["daysOfHistory"] ?? "7") ?? 7
        let page = Int(query["pageNumber"] ?? "1") ?? 1
        return state.withLock { state in
            let time = now()
            state.applyDue(now: time)
            guard let simulated = state.devices[iccid], simulated.device.accountId == user.accountId else {
                return SimulatorResponse.notFound(iccid)
            }
            let oldest = time.addingTimeInterval(-Double(days) * 86_400)
            let entries = (state.auditTrails[iccid] ?? []).filter {
                ($0.effectiveDate.flatMap(JasperTimestamp.parse) ?? time) >= oldest
            }
            return SimulatorResponse.json(Self.page(entries, number: page, size: Self.pageSize))
        }
    }

    private func usage(_ iccid: String, user: SimulatorUser) -> HTTPResponse {
        state.withLock { state in
            state.applyDue(now: now())
            guard let simulated = state.devices[iccid], simulated.device.accountId == user.accountId else {
                return SimulatorResponse.notFound(iccid)
            }
            let device = simulated.device
            return SimulatorResponse.json(
                DeviceUsage(
                    iccid: iccid, imsi: device.imsi, msisdn: device.msisdn, ratePlan: device.ratePlan,
                    communicationPlan: device.communicationPlan, ctdDataUsage: simulated.cycleDataBytes,
                    lastUsageDate: simulated.lastUsageDate.map(JasperTimestamp.format)))
        }
    }

    private func ratePlans(_ query: [String: String]) -> HTTPResponse {
        let page = Int(query["pageNumber"] ?? "1") ?? 1
        let plans = state.withLock { $0.ratePlans.sorted().map { RatePlan(name: $0) } }
        return SimulatorResponse.json(Self.page(plans, number: page, size: Self.pageSize))
    }

    /// `pageSize` (1 to 50, default 50) and `pageNumber` (1 or more, default 1).
    private static func paging(_ query: [String: String]) -> Result<(size: Int, number: Int), HTTPResponseBox> {
        let size = Int(query["pageSize"] ?? "\(pageSize)") ?? -1
        guard (1...pageSize).contains(size) else {
            return .failure(.init(SimulatorResponse.invalidRequest("pageSize must be between 1 and \(pageSize)")))
        }
        guard let number = Int(query["pageNumber"] ?? "1"), number >= 1 else {
            return .failure(.init(SimulatorResponse.invalidRequest("pageNumber must be 1 or more")))
        }
        return .success((size, number))
    }

    /// Either of Control Center's timestamp forms (`2016-06-29 00:21:33.339+0000`,
    /// `2016-06-29T00:21:33.339Z`). A `+` sent unescaped in the query reaches here as a space (form
    /// decoding), so `… 00:21:33.339 0000` is read as `… 00:21:33.339+0000`.
    static func modifiedSince(_ text: String) -> Date? {
        if let date = JasperTimestamp.parse(text) { return date }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.lastIndex(of: " "), trimmed.distance(from: trimmed.startIndex, to: space) > 10,
            trimmed[trimmed.index(after: space)...].allSatisfy(\.isNumber)
        else { return nil }
        return JasperTimestamp.parse(trimmed.replacingCharacters(in: space...space, with: "+"))
    }

    static func page<Item: JasperListItem>(_ items: [Item], number: Int, size: Int) -> JasperPage<Item> {
        let start = max(0, (number - 1) * size)
        let slice = start < items.count ? Array(items[start..<min(items.count, start + size)]) : []
        return JasperPage(pageNumber: number, lastPage: start + size >= items.count, items: slice)
    }
}
