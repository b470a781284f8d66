import BulkChange
import Foundation
import Testing

@Suite("RowValidator")
struct RowValidatorTests {
    /// The smallest valid row of each change type for `iccid`.
    static func minimalRow(_ type: ChangeType, _ iccid: String) -> [String: String] {
        switch type {
        case .customerRatePlan: ["iccid": iccid, "customer_pool_id": "POOL-1"]
        case .carrierRatePlan: ["iccid": iccid, "carrier_rate_plan": "IoT 1GB"]
        case .statusUpdate: ["iccid": iccid, "target_status": "DEACTIVATED"]
        case .editUsername: ["iccid": iccid, "username": "meter 1"]
        case .changeICCIDOrIMEI: ["iccid": iccid, "new_imei": Sample.newIMEI]
        case .archival: ["iccid": iccid]
        }
    }

    @Test(arguments: ChangeType.allCases)
    func minimalRowIsValid(_ type: ChangeType) throws {
        let verdicts = RowValidator.validate(
            inputFile(type, [Self.minimalRow(type, Sample.iccid)]), context: Sample.context)
        let request = try #require(try verdicts.first?.get())
        #expect(request.changeType == type)
        #expect(request.iccid == Sample.iccid)
    }

    @Test(arguments: ChangeType.allCases)
    func unknownDevice(_ type: ChangeType) {
        let verdicts = RowValidator.validate(
            inputFile(type, [Self.minimalRow(type, Sample.unknown)]), context: Sample.context)
        #expect(
            verdicts.map(\.rejection?.description) == [
                "iccid \"\(Sample.unknown)\": is not in this tenant's inventory for this provider; "
                    + "check the ICCID and that the file is for the right service provider"
            ])
    }

    @Test func anotherTenantsDeviceLooksUnknown() {
        // Tenant B owns `Sample.unknown`; tenant A sees exactly what it sees for an ICCID nobody has.
        let nobodys = withCheckDigit("8901260000000000098")
        var tenantA = Sample.context
        tenantA.identifiersInUse.insert(Sample.unknown)
        let verdicts = RowValidator.validate(
            inputFile(
                .statusUpdate,
                [Self.minimalRow(.statusUpdate, Sample.unknown), Self.minimalRow(.statusUpdate, nobodys)]),
            context: tenantA)
        let rejections = verdicts.map(\.rejection)
        #expect(rejections[0]?.value == Sample.unknown)
        #expect(rejections[1]?.value == nobodys)
        #expect(
            rejections[0].map { RowRejection(column: $0.column, message: $0.message, hint: $0.hint) }
                == rejections[1].map { RowRejection(column: $0.column, message: $0.message, hint: $0.hint) })
    }

    @Test(arguments: ChangeType.allCases)
    func archivedDeviceTakesNoChange(_ type: ChangeType) {
        let verdicts = RowValidator.validate(
            inputFile(type, [Self.minimalRow(type, Sample.archived)]), context: Sample.context)
        #expect(
            verdicts.map(\.rejection?.description) == [
                "iccid \"\(Sample.archived)\": the device is archived; an archived device takes no changes"
            ])
    }

    @Test func sameICCIDTwice() {
        let rows = [
            ["iccid": Sample.iccid, "target_status": "NOPE"],
            ["iccid": Sample.short, "target_status": "DEACTIVATED"],
            ["iccid": Sample.iccid, "target_status": "DEACTIVATED"],
            ["iccid": Sample.iccid, "target_status": "INVENTORY"],
        ]
        let verdicts = RowValidator.validate(inputFile(.statusUpdate, rows), context: Sample.context)
        #expect(
            verdicts.map(\.rejection?.description) == [
                "target_status \"NOPE\": not a SIM status; "
                    + "use one of ACTIVATED, ACTIVATION_READY, DEACTIVATED, INVENTORY, RETIRED",
                nil,
                "iccid \"\(Sample.iccid)\": already appears in row 1; give each device one row per file",
                "iccid \"\(Sample.iccid)\": already appears in row 1; give each device one row per file",
            ])
    }

    @Test func aRepeatedICCIDIsFoundAmongThousandsAndAcrossChunks() {
        // 5,000 ICCIDs, 19- and 20-digit, then each again in reverse order: every repeat names the
        // row of its first appearance, however far back, and no first appearance is taken for one.
        let iccids = (0..<5000).map { index -> String in
            let body =
                index.isMultiple(of: 2)
                ? "890126" + String(format: "%013d", index) : "89012" + String(format: "%013d", index)
            return body + String(Luhn.checkDigit(for: body))
        }
        var validation = RowValidation(changeType: .archival)
        let rows = (iccids + iccids.reversed()).enumerated().map { index, iccid in
            InputRow(number: index + 1, line: index + 2, values: [iccid], fields: ["iccid": iccid])
        }
        let verdicts = stride(from: 0, to: rows.count, by: 4096).flatMap { start in
            validation.validate(Array(rows[start..<min(start + 4096, rows.count)]), context: Sample.context)
        }
        let repeats = verdicts.map { $0.rejection?.description.contains("already appears in row") == true }
        #expect(repeats == Array(repeating: false, count: 5000) + Array(repeating: true, count: 5000))
        #expect(verdicts[5000].rejection?.description.contains("already appears in row 5000;") == true)
        #expect(verdicts[9999].rejection?.description.contains("already appears in row 1;") == true)
    }

    @Test func oneVerdictPerRowInOrder() {
        let problem = RowRejection(message: "row has 3 fields, the header has 2")
        let file = InputFile(
            fileName: "archival.csv", changeType: .archival, columns: ["iccid"],
            rows: [
                InputRow(number: 1, line: 2, values: [], fields: ["iccid": Sample.iccid], problem: problem),
                InputRow(number: 2, line: 3, values: [], fields: [:]),
                InputRow(number: 3, line: 4, values: [], fields: ["iccid": Sample.short]),
                InputRow(number: 4, line: 5, values: [], fields: ["iccid": Sample.iccid]),
            ])
        let verdicts = RowValidator.validate(file, context: Sample.context)
        #expect(
            verdicts.map(\.rejection?.description) == [
                "row has 3 fields, the header has 2",
                "iccid: missing; every row needs one",
                nil,
                nil,
            ])
    }

    @Test func rejectionDescriptions() {
        #expect(RowRejection(message: "m").description == "m")
        #expect(RowRejection(column: "c", message: "m", hint: "h").description == "c: m; h")
        #expect(RowRejection(column: "c", value: "v", message: "m").description == "c \"v\": m")
        #expect(RowRejection(value: "v", message: "m").description == "\"v\": m")
    }
}
