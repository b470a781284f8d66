import Foundation

/// A SIM status change on Control Center.
public struct StatusUpdate: Codable, Equatable, Sendable {
    /// The device.
    public var iccid: String
    /// The status to set; one an account may set.
    public var targetStatus: SIMStatus
    /// Why, as the partner wrote it.
    public var reason: String?
    /// Passed to Control Center (at most 180 days ahead); `nil` = now.
    public var effectiveDate: Date?

    /// A status change.
    public init(iccid: String, targetStatus: SIMStatus, reason: String? = nil, effectiveDate: Date? = nil) {
        self.iccid = iccid
        self.targetStatus = targetStatus
        self.reason = reason
        self.effectiveDate = effectiveDate
    }
}

/// `status-update`: a status an account may set, reached by an allowed transition, now or up to
/// 180 days ahead.
public enum StatusUpdateKind: ChangeKind {
    /// `status-update`.
    public static let changeType = ChangeType.statusUpdate
    /// The columns, in the order results show them.
    public static var fields: [FieldSpec] { [.iccid, targetStatus, reason, effectiveDate] }

    /// Needs a target status an account may set.
    public static func request(for iccid: String, from row: RowFields) throws(RowRejection) -> StatusUpdate {
        let target = try row.required(targetStatus, row.status)
        guard target.isSettableByAccount else {
            throw RowRejection(targetStatus, value: row.values[targetStatus.name], problem: Message.notSettable(target))
        }
        return StatusUpdate(
            iccid: iccid, targetStatus: target, reason: try row.text(reason),
            effectiveDate: try row.date(
                effectiveDate, daysAhead: ControlCenterDates.daysAhead, hint: ControlCenterDates.hint))
    }

    /// The move from the device's current status must be allowed; staying put is fine (UNCHANGED).
    public static func check(_ request: StatusUpdate, device: InventoryDevice, context: ValidationContext)
        throws(RowRejection)
    {
        guard let current = device.status, current != request.targetStatus,
            !current.allowsTransition(to: request.targetStatus)
        else { return }
        throw RowRejection(
            column: targetStatus.name, value: request.targetStatus.rawValue,
            message: Message.transition(from: current, to: request.targetStatus),
            hint: current.isFinal ? Message.finalHint(current) : nil)
    }

    /// The request as `.statusUpdate`.
    public static func changeRequest(_ request: StatusUpdate) -> ChangeRequest {
        .statusUpdate(request)
    }
}

// MARK: - Columns and messages

extension StatusUpdateKind {
    static let targetStatus = FieldSpec(
        "target_status", kind: .status, required: true, aliases: ["Target Status", "Status", "New Status"],
        summary: "The status to set: ACTIVATED, ACTIVATION_READY, DEACTIVATED, INVENTORY or RETIRED, in any "
            + "case, with spaces or hyphens for underscores (\"activation ready\").")
    static let reason = FieldSpec(
        "reason", kind: .text, summary: "Why the status changes; kept in the device history and the row's log.")
    static let effectiveDate = FieldSpec.effectiveDate(
        "When Control Center applies the status: today to 180 days ahead; empty means now.")

    private enum Message {
        static func notSettable(_ status: SIMStatus) -> FieldProblem {
            FieldProblem("\(status.rawValue) is not a status an account may set", hint: ValueCheck.settableStatusesHint)
        }
        static func transition(from current: SIMStatus, to target: SIMStatus) -> String {
            "the SIM is \(current.rawValue) and cannot move to \(target.rawValue)"
        }
        static func finalHint(_ current: SIMStatus) -> String {
            "\(current.rawValue) is final: no change leaves it"
        }
    }
}
