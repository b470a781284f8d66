import BulkChange
import Testing

@Suite("archival")
struct ArchivalTests {
    static let iccid = Sample.iccid

    static func archive(
        reason: String? = nil, date: String? = nil, retention: Int? = nil, override: Bool = false
    ) -> Expected {
        .request(
            .archival(
                ArchivalRequest(
                    iccid: iccid, reason: reason, effectiveDate: date.map(utc), retentionDays: retention,
                    overrideUsageCheck: override)))
    }

    static let cases: [RowCase] = [
        RowCase("iccid only", ["iccid": iccid], archive()),
        RowCase(
            "everything",
            [
                "iccid": iccid, "reason": "end of contract", "effective_date": "2026-03-01", "retention_days": "365",
                "override_usage_check": "Yes",
            ],
            archive(reason: "end of contract", date: "2026-03-01", retention: 365, override: true)),
        RowCase("today", ["iccid": iccid, "effective_date": "2026-03-10"], archive(date: "2026-03-10")),
        RowCase(
            "earlier today", ["iccid": iccid, "effective_date": "2026-03-10T11:59:00Z"],
            archive(date: "2026-03-10T11:59:00Z")),
        RowCase("override 0", ["iccid": iccid, "override_usage_check": "0"], archive()),
        RowCase("override TRUE", ["iccid": iccid, "override_usage_check": "TRUE"], archive(override: true)),
        RowCase("retention bounds", ["iccid": iccid, "retention_days": "3650"], archive(retention: 3650)),
        RowCase(
            "later today, queued", ["iccid": iccid, "effective_date": "2026-03-10T18:00:00Z"],
            archive(date: "2026-03-10T18:00:00Z")),
        RowCase("tomorrow, queued", ["iccid": iccid, "effective_date": "2026-03-11"], archive(date: "2026-03-11")),
        RowCase("a year ahead", ["iccid": iccid, "effective_date": "2027-03-10"], archive(date: "2027-03-10")),
        RowCase(
            "a year and a day ahead", ["iccid": iccid, "effective_date": "2027-03-11"],
            .rejected(column: "effective_date", message: "more than 365")),
        RowCase(
            "no retention", ["iccid": iccid, "retention_days": "0"],
            .rejected(column: "retention_days", message: "must be from 1 to 3650")),
        RowCase(
            "ten years and a day", ["iccid": iccid, "retention_days": "3651"],
            .rejected(column: "retention_days", message: "must be from 1 to 3650")),
        RowCase(
            "retention in words", ["iccid": iccid, "retention_days": "a year"],
            .rejected(column: "retention_days", message: "not a whole number")),
        RowCase(
            "override maybe", ["iccid": iccid, "override_usage_check": "maybe"],
            .rejected(column: "override_usage_check", message: "not true or false")),
    ]

    @Test(arguments: cases)
    func row(_ row: RowCase) {
        row.verify(.archival)
    }

    @Test func columns() {
        #expect(
            ChangeType.archival.fields.map(\.name) == [
                "iccid", "reason", "effective_date", "retention_days", "override_usage_check",
            ])
    }
}
