import Foundation
import HTTP
import Jasper

/// The full state of one simulated device (`GET /_sim/devices/{iccid}`).
public struct SimulatedDeviceState: Codable, Equatable, Sendable {
    public var device: SimulatedDevice
    public var auditTrail: [AuditTrailEntry]
    public var scheduledChanges: [[String: String]]
}

extension JasperSimulator {
    /// `/_sim/…`: reset, load devices, read a device's full state, set faults, read counters and
    /// pending changes.
    /// Meant for tests and rehearsals on a trusted machine: it takes no credentials.
    func handleAdmin(_ request: HTTPRequest) -> HTTPResponse {
        let parts = request.path.split(separator: "/").map { PercentEncoding.decode(String($0)) }
        switch (request.method, parts.count, parts.count > 1 ? parts[1] : "") {
        case ("POST", 2, "reset"):
            reset()
            return SimulatorResponse.json(["reset": "ok"])
        case ("POST", 2, "devices"):
            let devices: [SimulatedDevice]
            do {
                devices = try JSONDecoder().decode([SimulatedDevice].self, from: Data(request.body))
            } catch {
                return SimulatorResponse.error(
                    400, JasperErrorCode.malformedJSON, "Expected a JSON array of devices: \(Self.reason(error))")
            }
            load(devices)
            return SimulatorResponse.json(["loaded": devices.count])
        case ("GET", 3, "devices"):
            guard let full = deviceState(parts[2]) else { return SimulatorResponse.notFound(parts[2]) }
            return SimulatorResponse.json(full)
        case ("PUT", 2, "faults"):
            let faults: SimulatorFaults
            do {
                faults = try SimulatorFaults.fromJSON(Data(request.body))
            } catch {
                return SimulatorResponse.error(
                    400, JasperErrorCode.malformedJSON, "Expected the faults as JSON: \(error.reason)")
            }
            setFaults(faults)
            return SimulatorResponse.json(faults)
        case ("GET", 2, "counters"):
            return SimulatorResponse.json(counters)
        case ("GET", 2, "scheduled"):
            return SimulatorResponse.json(scheduledChangesByDevice)
        default:
            return SimulatorResponse.invalidRequest("Unknown admin resource: \(request.method) \(request.path)")
        }
    }

    /// Back to the devices given at start, with empty audit trails, schedule and counters.
    public func reset() {
        state.withLock { state in
            state = SimulatorState(devices: Array(state.initialDevices.values), configuration: configuration)
        }
    }

    /// Adds or replaces devices.
    public func load(_ devices: [SimulatedDevice]) {
        state.withLock { state in
            for simulated in devices {
                state.devices[simulated.device.iccid] = simulated
                if let plan = simulated.device.ratePlan { state.ratePlans.insert(plan) }
                if let plan = simulated.device.communicationPlan { state.communicationPlans.insert(plan) }
            }
        }
    }

    public func setFaults(_ faults: SimulatorFaults) {
        state.withLock { $0.faults = faults }
    }

    /// Every ICCID the simulator holds, sorted.
    public var iccids: [String] {
        state.withLock { $0.devices.keys.sorted() }
    }

    /// Every device as it stands now (due scheduled edits applied), sorted by ICCID: to save and load the state.
    public var allDevices: [SimulatedDevice] {
        state.withLock { state in
            state.applyDue(now: now())
            return state.devices.values.sorted { $0.device.iccid < $1.device.iccid }
        }
    }

    public var counters: SimulatorCounters {
        state.withLock { $0.counters }
    }

    /// Pending changes per ICCID after applying what is due (`GET /_sim/scheduled`): edits with a
    /// future effective date and edits answered 202 that have not landed yet, one per edit — the
    /// same future-dated edit sent twice counts 2. Devices with none are left out.
    public var scheduledChangesByDevice: [String: Int] {
        state.withLock { state in
            state.applyDue(now: now())
            return state.scheduledChangesByDevice
        }
    }

    /// A device with its audit trail and pending changes, after applying what is due.
    public func deviceState(_ iccid: String) -> SimulatedDeviceState? {
        state.withLock { state in
            state.applyDue(now: now())
            guard let device = state.devices[iccid] else { return nil }
            return SimulatedDeviceState(
                device: device, auditTrail: state.auditTrails[iccid] ?? [],
                scheduledChanges: state.scheduled.filter { $0.iccid == iccid }.map(\.changes))
        }
    }

    /// A decoding error in one line: what `DecodingError` says, and where.
    static func reason(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        let context: DecodingError.Context
        switch decoding {
        case .dataCorrupted(let found), .keyNotFound(_, let found), .typeMismatch(_, let found),
            .valueNotFound(_, let found):
            context = found
        @unknown default: return "\(error)"
        }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return (path.isEmpty ? "" : "at \(path): ") + context.debugDescription
    }
}
