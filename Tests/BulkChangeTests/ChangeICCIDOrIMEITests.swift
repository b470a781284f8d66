import BulkChange
import Testing

@Suite("change-iccid-imei")
struct ChangeICCIDOrIMEITests {
    static let iccid = Sample.iccid

    static func swap(_ replacement: IdentifierChange.Replacement) -> Expected {
        .request(.changeICCIDOrIMEI(IdentifierChange(iccid: iccid, replacement: replacement)))
    }

    static let cases: [RowCase] = [
        RowCase("new ICCID", ["iccid": iccid, "new_iccid": Sample.newICCID], swap(.iccid(Sample.newICCID))),
        RowCase("new IMEI", ["iccid": iccid, "new_imei": Sample.newIMEI], swap(.imei(Sample.newIMEI))),
        RowCase(
            "both", ["iccid": iccid, "new_iccid": Sample.newICCID, "new_imei": Sample.newIMEI],
            .rejected(column: nil, message: "both new_iccid and new_imei")),
        RowCase("neither", ["iccid": iccid], .rejected(column: nil, message: "neither new_iccid nor new_imei")),
        RowCase(
            "its own ICCID", ["iccid": iccid, "new_iccid": iccid],
            .rejected(column: "new_iccid", message: "the device's own ICCID")),
        RowCase(
            "ICCID too short", ["iccid": iccid, "new_iccid": withCheckDigit("89012600000000005")],
            .rejected(column: "new_iccid", message: "has 18 digits; an ICCID has 19 or 20")),
        RowCase(
            "ICCID with a wrong check digit", ["iccid": iccid, "new_iccid": "89012600000000000519"],
            .rejected(column: "new_iccid", message: "the check digit does not match")),
        RowCase(
            "ICCID Excel made a number", ["iccid": iccid, "new_iccid": "8.90126E+19"],
            .rejected(column: "new_iccid", message: "Excel turned the ICCID into a number (8.90126E+19)")),
        RowCase(
            "IMEI with a wrong check digit", ["iccid": iccid, "new_imei": "352099001761480"],
            .rejected(column: "new_imei", message: "the check digit does not match")),
        RowCase(
            "IMEI of 14 digits", ["iccid": iccid, "new_imei": "35209900176148"],
            .rejected(column: "new_imei", message: "has 14 digits; an IMEI has 15")),
        RowCase(
            "the current IMEI", ["iccid": iccid, "new_imei": Sample.imei],
            .rejected(column: "new_imei", message: "the device's current IMEI")),
        RowCase(
            "an ICCID another tenant uses", ["iccid": iccid, "new_iccid": Sample.usedICCID],
            .rejected(column: "new_iccid", message: "is not in this tenant's inventory for this provider")),
        RowCase(
            "an ICCID nobody has", ["iccid": iccid, "new_iccid": Sample.unknown],
            .rejected(column: "new_iccid", message: "is not in this tenant's inventory for this provider")),
        RowCase(
            "an ICCID of this tenant that is no spare", ["iccid": iccid, "new_iccid": Sample.retired],
            .rejected(column: "new_iccid", message: "is RETIRED, not a spare SIM")),
        RowCase(
            "an IMEI in use", ["iccid": iccid, "new_imei": Sample.usedIMEI],
            .rejected(column: "new_imei", message: "is already the IMEI of a device")),
    ]

    @Test(arguments: cases)
    func row(_ row: RowCase) {
        row.verify(.changeICCIDOrIMEI)
    }

    @Test func columns() {
        #expect(ChangeType.changeICCIDOrIMEI.fields.map(\.name) == ["iccid", "new_iccid", "new_imei"])
        #expect(ChangeType.changeICCIDOrIMEI.fields.map(\.kind) == [.iccid, .iccid, .imei])
    }
}
