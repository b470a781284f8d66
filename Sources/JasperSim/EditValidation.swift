import BulkChange
import Foundation
import HTTP
import Jasper

/// Checks a `PUT /devices/{iccid}` body the way Control Center does, before anything changes.
enum EditValidation {
    /// A checked edit: the field changes and when they take effect (`nil` = now).
    struct Edit {
        var changes: [String: String]
        var effectiveDate: Date?
    }

    /// The edit, or the error answer Control Center would give.
    static func check(
        body: [UInt8], device: JasperDevice, state: SimulatorState, now: Date
    ) -> Result<Edit, HTTPResponseBox> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return .failure(
                .init(SimulatorResponse.error(400, JasperErrorCode.malformedJSON, "JSON is not well formed")))
        }
        var changes: [String: String] = [:]
        var effectiveDate: Date?
        for (key, value) in object {
            guard key == "effectiveDate" || JasperDevice.editableFields.contains(key) else {
                return .failure(.init(SimulatorResponse.invalidRequest("Unknown parameter: \(key)")))
            }
            guard let text = value as? String else {
                return .failure(.init(SimulatorResponse.invalidRequest("Parameter \(key) must be a string")))
            }
            if key == "effectiveDate" {
                guard let date = JasperTimestamp.parse(text) else {
                    return .failure(.init(SimulatorResponse.invalidRequest("Invalid effectiveDate: \(text)")))
                }
                effectiveDate = date
            } else {
                changes[key] = text
            }
        }
        if let problem = problem(changes: changes, effectiveDate: effectiveDate, device: device, state: state, now: now)
        {
            return .failure(.init(SimulatorResponse.invalidRequest(problem)))
        }
        return .success(Edit(changes: changes, effectiveDate: effectiveDate.flatMap { $0 > now ? $0 : nil }))
    }

    private static func problem(
        changes: [String: String], effectiveDate: Date?, device: JasperDevice, state: SimulatorState, now: Date
    ) -> String? {
        if changes.isEmpty { return "At least one device attribute to change is required" }
        if let status = changes["status"] {
            guard let target = SIMStatus(rawValue: status) else { return "Invalid status: \(status)" }
            guard target.isSettableByAccount else { return "Status \(status) cannot be set by an account" }
            if let current = device.simStatus, current.isFinal, current != target {
                return "Status cannot change from \(current.rawValue)"
            }
        }
        if let plan = changes["ratePlan"], !state.ratePlans.contains(plan) { return "Invalid rate plan: \(plan)" }
        if let plan = changes["communicationPlan"], !state.communicationPlans.contains(plan) {
            return "Invalid communication plan: \(plan)"
        }
        if let effectiveDate {
            let startOfToday = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
            if effectiveDate < startOfToday { return "effectiveDate is in the past" }
            if effectiveDate > now.addingTimeInterval(180 * 86_400) {
                return "effectiveDate cannot be more than 180 days in the future"
            }
        }
        return nil
    }
}

/// An error answer carried through `Result` (which needs an `Error`).
struct HTTPResponseBox: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}
