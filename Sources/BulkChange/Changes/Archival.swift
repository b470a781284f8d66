import Foundation

/// Moves a device to archived state, keeping its history.
public struct ArchivalRequest: Codable, Equatable, Sendable {
    /// The device.
    public var iccid: String
    /// Why, as the partner wrote it.
    public var reason: String?
    /// When the device left service; never in the future. `nil` = now.
    public var effectiveDate: Date?
    /// How long the archived record is kept; `nil` = the store's default.
    public var retentionDays: Int?
    /// Archive even with usage in the last 30 days.
    public var overrideUsageCheck: Bool

    /// An archival.
    public init(
        iccid: String, reason: String? = nil, effectiveDate: Date? = nil, retentionDays: Int? = nil,
        overrideUsageCheck: Bool = false
    ) {
        self.iccid = iccid
        self.reason = reason
        self.effectiveDate = effectiveDate
        self.retentionDays = retentionDays
        self.overrideUsageCheck = overrideUsageCheck
    }
}

/// `archival`: moves a device to archived state now, optionally past the usage check.
public enum ArchivalKind: ChangeKind {
    /// `archival`.
    public static let changeType = ChangeType.archival
    /// The columns, in the order results show them.
    public static var fields: [FieldSpec] { [.iccid, reason, effectiveDate, retentionDays, overrideUsageCheck] }

    /// An effective date may not be in the future; retention is 1 to 3650 days.
    public static func request(for iccid: String, from row: RowFields) throws(RowRejection) -> ArchivalRequest {
        let date = try row.date(effectiveDate)
        if let date, date.date > row.now {
            throw RowRejection(effectiveDate, value: row.values[effectiveDate.name], problem: Message.future)
        }
        return ArchivalRequest(
            iccid: iccid, reason: try row.text(reason), effectiveDate: date?.date,
            retentionDays: try row.integer(retentionDays, in: 1...3650),
            overrideUsageCheck: try row.boolean(overrideUsageCheck) ?? false)
    }

    /// The request as `.archival`.
    public static func changeRequest(_ request: ArchivalRequest) -> ChangeRequest {
        .archival(request)
    }
}

// MARK: - Columns and messages

extension ArchivalKind {
    static let reason = FieldSpec("reason", kind: .text, summary: "Why the device is archived; kept with its history.")
    static let effectiveDate = FieldSpec.effectiveDate(
        "When the device left service: today or earlier, as archival happens now; empty means now.")
    static let retentionDays = FieldSpec(
        "retention_days", kind: .integer, aliases: ["Retention"],
        summary: "How many days the archived record is kept, 1 to 3650; empty uses the default.")
    static let overrideUsageCheck = FieldSpec(
        "override_usage_check", kind: .boolean, aliases: ["Override", "Override Usage Check"],
        summary: "true (yes, 1) archives even with usage in the last 30 days; false (no, 0) or empty does not.")

    private enum Message {
        static let future = FieldProblem(
            "is in the future", hint: "archival happens now; use today or an earlier date, or leave it empty")
    }
}
