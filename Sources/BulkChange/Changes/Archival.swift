import Foundation

/// Moves a device to archived state, keeping its history.
public struct ArchivalRequest: Codable, Equatable, Sendable {
    /// The device.
    public var iccid: String
    /// Why, as the partner wrote it.
    public var reason: String?
    /// When the device is archived: `nil`, today or earlier means now; later, the row is queued and
    /// archived on that date.
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

/// `archival`: moves a device to archived state now or on a date up to a year ahead, optionally
/// past the usage check.
public enum ArchivalKind: ChangeKind {
    /// `archival`.
    public static let changeType = ChangeType.archival
    /// The columns, in the order results show them.
    public static var fields: [FieldSpec] { [.iccid, reason, effectiveDate, retentionDays, overrideUsageCheck] }

    /// An effective date at most 365 days ahead; retention is 1 to 3650 days.
    public static func request(for iccid: String, from row: RowFields) throws(RowRejection) -> ArchivalRequest {
        ArchivalRequest(
            iccid: iccid, reason: try row.text(reason),
            effectiveDate: try row.date(effectiveDate, daysAhead: Int.min...365, hint: Message.dateHint),
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
        "When the device is archived. Empty, today or in the past: now. Later: it is queued and archived "
            + "on that day (usage check and deactivation then), at most 365 days ahead.")
    static let retentionDays = FieldSpec(
        "retention_days", kind: .integer, aliases: ["Retention"],
        summary: "How many days the archived record is kept, 1 to 3650; empty uses the default.")
    static let overrideUsageCheck = FieldSpec(
        "override_usage_check", kind: .boolean, aliases: ["Override", "Override Usage Check"],
        summary: "true (yes, 1) archives even with usage in the last 30 days; false (no, 0) or empty does not.")

    private enum Message {
        static let dateHint = "use a date at most 365 days ahead, or leave it empty to archive now"
    }
}
