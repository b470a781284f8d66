import Foundation
import Jasper
import Synchronization

/// A Control Center endpoint in front of another one that fails where a test says: before a call
/// is sent (the carrier never saw it), or after it was answered (the carrier applied it, and the
/// answer is lost, as with a timeout or a crash at that moment).
///
/// This is how the pipeline tests cut a run at an exact step, such as between the two steps of a
/// SIM swap, without timing anything.
public final class FaultInjectingEndpoint: JasperEndpoint {
    /// One call as the fault plan sees it.
    public struct Call: Sendable, Equatable {
        /// Which Control Center call it is.
        public enum Kind: String, Sendable {
            case device, editDevice, modifiedDevices, auditTrail, usage, ratePlans
        }

        public var kind: Kind
        /// The device the call is about, when it is about one.
        public var iccid: String?
        /// The edit sent, for `editDevice`.
        public var edit: DeviceEdit?
        /// 1 for the first call of this kind through this endpoint, and so on.
        public var number: Int
    }

    /// When a fault strikes.
    public enum Step: Sendable, Equatable {
        /// Before the call is sent: the carrier never sees it.
        case beforeSending
        /// After the carrier answered: what it did stands, and the caller gets the error instead.
        case afterAnswer
    }

    /// Returns the error to fail `call` with at `step`, or `nil` to let it through.
    public typealias Plan = @Sendable (Call, Step) -> JasperError?

    private let base: any JasperEndpoint
    private let plan: Plan
    private let counts = Mutex<[Call.Kind: Int]>([:])

    public init(_ base: any JasperEndpoint, plan: @escaping Plan) {
        self.base = base
        self.plan = plan
    }

    public func device(_ iccid: String) async throws(JasperError) -> JasperDevice {
        try await pass(.device, iccid: iccid) { () async throws(JasperError) in try await base.device(iccid) }
    }

    public func editDevice(_ iccid: String, _ edit: DeviceEdit) async throws(JasperError) -> EditReceipt {
        try await pass(.editDevice, iccid: iccid, edit: edit) { () async throws(JasperError) in
            try await base.editDevice(iccid, edit)
        }
    }

    public func modifiedDevices(since: Date) async throws(JasperError) -> [DeviceSummary] {
        try await pass(.modifiedDevices) { () async throws(JasperError) in try await base.modifiedDevices(since: since)
        }
    }

    public func auditTrail(_ iccid: String, daysOfHistory: Int) async throws(JasperError) -> [AuditTrailEntry] {
        try await pass(.auditTrail, iccid: iccid) { () async throws(JasperError) in
            try await base.auditTrail(iccid, daysOfHistory: daysOfHistory)
        }
    }

    public func usage(_ iccid: String) async throws(JasperError) -> DeviceUsage {
        try await pass(.usage, iccid: iccid) { () async throws(JasperError) in try await base.usage(iccid) }
    }

    public func ratePlans() async throws(JasperError) -> [RatePlan] {
        try await pass(.ratePlans) { () async throws(JasperError) in try await base.ratePlans() }
    }

    private func pass<Value: Sendable>(
        _ kind: Call.Kind, iccid: String? = nil, edit: DeviceEdit? = nil,
        _ send: () async throws(JasperError) -> Value
    ) async throws(JasperError) -> Value {
        let number = counts.withLock { counts in
            counts[kind, default: 0] += 1
            return counts[kind, default: 0]
        }
        let call = Call(kind: kind, iccid: iccid, edit: edit, number: number)
        if let error = plan(call, .beforeSending) { throw error }
        let value = try await send()
        if let error = plan(call, .afterAnswer) { throw error }
        return value
    }
}
