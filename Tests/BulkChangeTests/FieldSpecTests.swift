import BulkChange
import Foundation
import Testing

@Suite("FieldSpec and ChangeKinds")
struct FieldSpecTests {
    @Test func everyChangeTypeHasOneKind() {
        #expect(ChangeKinds.all.map { $0.changeType } == ChangeType.allCases)
        for type in ChangeType.allCases {
            #expect(type.kind.changeType == type)
            #expect(type.fields.first == FieldSpec.iccid)
            #expect(Set(type.fields.map(\.name)).count == type.fields.count, "\(type.slug) names a field twice")
        }
    }

    /// (change type, header cell, canonical field it names).
    static let headers: [(ChangeType, String, String)] = [
        (.statusUpdate, "ICCID", "iccid"),
        (.statusUpdate, "SIM", "iccid"),
        (.statusUpdate, "sim number", "iccid"),
        (.statusUpdate, "ICCID_Number", "iccid"),
        (.statusUpdate, "iccid-number", "iccid"),
        (.statusUpdate, "Target Status", "target_status"),
        (.statusUpdate, "STATUS", "target_status"),
        (.statusUpdate, "New Status", "target_status"),
        (.statusUpdate, "Effective", "effective_date"),
        (.carrierRatePlan, "Rate Plan", "carrier_rate_plan"),
        (.carrierRatePlan, "Comm Plan", "communication_plan"),
        (.customerRatePlan, "Customer Rate Plan", "customer_rate_plan_id"),
        (.customerRatePlan, "Customer Rate Plan ID", "customer_rate_plan_id"),
        (.customerRatePlan, "Pool", "customer_pool_id"),
        (.customerRatePlan, "Data Allocation", "data_allocation_mb"),
        (.customerRatePlan, "Data Allocation MB", "data_allocation_mb"),
        (.editUsername, "User Name", "username"),
        (.editUsername, "Device ID", "username"),
        (.editUsername, "Cost Center 2", "cost_center_2"),
        (.changeICCIDOrIMEI, "New SIM", "new_iccid"),
        (.changeICCIDOrIMEI, "Replacement ICCID", "new_iccid"),
        (.changeICCIDOrIMEI, "Replacement IMEI", "new_imei"),
        (.archival, "Retention", "retention_days"),
        (.archival, "Override", "override_usage_check"),
        (.archival, "Override Usage Check", "override_usage_check"),
    ]

    @Test(arguments: headers)
    func headerNamesField(_ type: ChangeType, header: String, field: String) {
        #expect(type.fields.filter { $0.matches(header: header) }.map(\.name) == [field])
    }

    @Test func namesShownToPeople() {
        #expect(FieldSpec.iccid.displayName == "ICCID")
        #expect(FieldSpec.iccid.otherNames == ["SIM", "SIM Number", "ICCID Number"])
        let pool = ChangeType.customerRatePlan.fields[2]
        #expect(pool.displayName == "customer_pool_id")
        #expect(pool.otherNames == ["Customer Pool", "Pool"])
    }

    /// (kind, values its pattern must accept, values it must refuse): the schema patterns and the
    /// Swift checks describe the same clean values.
    static let patternCases: [(FieldKind, [String], [String])] = [
        (.iccid, [withCheckDigit("8901260123456789012"), withCheckDigit("890126012345678901")], ["8.9E+18", "123"]),
        (.imei, [withCheckDigit("35209900176148")], ["3520990017614", "35209900176148x"]),
        (
            .date, ["2026-12-01", "2026-12-01T10:00:00+01:00", "2026-12-01T09:00Z", "2026-12-01T09:00:00.5-0300"],
            ["12/01/2026", "2026-12-01T10:00:00", "2026-12-01 10:00"]
        ),
        (.status, ["ACTIVATED", "activation ready", "Activation-Ready"], ["ACTIVE!", " ACTIVATED"]),
        (.number, ["0", "250", "0.5"], ["-1", "2,5", ".5"]),
        (.integer, ["0", "3650"], ["1.0", "-1"]),
        (.boolean, ["true", "FALSE", "Yes", "no", "1", "0"], ["y", "2"]),
    ]

    @Test(arguments: patternCases)
    func patternAgreesWithCheck(_ kind: FieldKind, accepted: [String], refused: [String]) throws {
        let pattern = try #require(kind.pattern)
        let regex = try NSRegularExpression(pattern: pattern)
        func matches(_ text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        for text in accepted { #expect(matches(text), "\(text)") }
        for text in refused { #expect(!matches(text), "\(text)") }
    }

    @Test func usernamePatternAgreesWithCheck() throws {
        let spec = try #require(ChangeType.editUsername.fields.first { $0.name == "username" })
        let regex = try NSRegularExpression(pattern: try #require(spec.pattern))
        for (text, valid) in [("a", true), ("Pump-7_b.north@site", true), ("a b", true), (" a", false), ("a#", false)] {
            let matched = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(matched == valid, "\(text)")
        }
    }
}
