import BulkChange
import Testing

@Suite("status-update")
struct StatusUpdateTests {
    static let iccid = Sample.iccid

    static func update(
        _ status: SIMStatus, iccid: String = iccid, reason: String? = nil, date: String? = nil
    ) -> Expected {
        .request(
            .statusUpdate(
                StatusUpdate(iccid: iccid, targetStatus: status, reason: reason, effectiveDate: date.map(utc))))
    }

    static let cases: [RowCase] = [
        RowCase("upper case", ["iccid": iccid, "target_status": "DEACTIVATED"], update(.deactivated)),
        RowCase("title case", ["iccid": iccid, "target_status": "Inventory"], update(.inventory)),
        RowCase("spaces", ["iccid": iccid, "target_status": "activation ready"], update(.activationReady)),
        RowCase("hyphens", ["iccid": iccid, "target_status": "Activation-Ready"], update(.activationReady)),
        RowCase("the current status is valid", ["iccid": iccid, "target_status": "Activated"], update(.activated)),
        RowCase(
            "reason and date",
            ["iccid": iccid, "target_status": "RETIRED", "reason": "lost", "effective_date": "2026-09-06"],
            update(.retired, reason: "lost", date: "2026-09-06")),
        RowCase(
            "a final status staying put", ["iccid": Sample.retired, "target_status": "retired"],
            update(.retired, iccid: Sample.retired)),
        RowCase(
            "not a status", ["iccid": iccid, "target_status": "ACTIVE"],
            .rejected(column: "target_status", message: "not a SIM status")),
        RowCase(
            "the operator's status", ["iccid": iccid, "target_status": "test ready"],
            .rejected(column: "target_status", message: "TEST_READY is not a status an account may set")),
        RowCase(
            "never set by a bulk change", ["iccid": iccid, "target_status": "PURGED"],
            .rejected(column: "target_status", message: "PURGED is not a status an account may set")),
        RowCase(
            "out of a final status", ["iccid": Sample.retired, "target_status": "ACTIVATED"],
            .rejected(column: "target_status", message: "the SIM is RETIRED and cannot move to ACTIVATED")),
        RowCase("no status", ["iccid": iccid], .rejected(column: "target_status", message: "missing")),
        RowCase(
            "181 days ahead", ["iccid": iccid, "target_status": "DEACTIVATED", "effective_date": "2026-09-07"],
            .rejected(column: "effective_date", message: "181 days ahead")),
        RowCase(
            "in the past", ["iccid": iccid, "target_status": "DEACTIVATED", "effective_date": "2026-03-01"],
            .rejected(column: "effective_date", message: "9 days before today")),
    ]

    @Test(arguments: cases)
    func row(_ row: RowCase) {
        row.verify(.statusUpdate)
    }

    @Test func messagesNameWhatToWrite() {
        let verdicts = RowValidator.validate(
            inputFile(
                .statusUpdate,
                [
                    ["iccid": Self.iccid, "target_status": "ACTIVE"],
                    ["iccid": Sample.retired, "target_status": "DEACTIVATED"],
                ]), context: Sample.context)
        #expect(
            verdicts.map(\.rejection?.description) == [
                "target_status \"ACTIVE\": not a SIM status; "
                    + "use one of ACTIVATED, ACTIVATION_READY, DEACTIVATED, INVENTORY, RETIRED",
                "target_status \"DEACTIVATED\": the SIM is RETIRED and cannot move to DEACTIVATED; "
                    + "RETIRED is final: no change leaves it",
            ])
    }

    @Test func columns() {
        #expect(ChangeType.statusUpdate.fields.map(\.name) == ["iccid", "target_status", "reason", "effective_date"])
        #expect(ChangeType.statusUpdate.fields.filter(\.required).map(\.name) == ["iccid", "target_status"])
    }
}
