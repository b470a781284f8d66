import BulkChange
import Testing

@Suite("carrier-rate-plan")
struct CarrierRatePlanTests {
    static let iccid = Sample.iccid

    static func change(_ plan: String, communicationPlan: String? = nil, date: String? = nil) -> Expected {
        .request(
            .carrierRatePlan(
                CarrierRatePlanChange(
                    iccid: iccid, ratePlan: plan, communicationPlan: communicationPlan, effectiveDate: date.map(utc))))
    }

    static let cases: [RowCase] = [
        RowCase("plan only", ["iccid": iccid, "carrier_rate_plan": "IoT 1GB"], change("IoT 1GB")),
        RowCase(
            "plan, communication plan, 180 days ahead",
            [
                "iccid": iccid, "carrier_rate_plan": "IoT 5GB", "communication_plan": "Data Only",
                "effective_date": "2026-09-06",
            ],
            change("IoT 5GB", communicationPlan: "Data Only", date: "2026-09-06")),
        RowCase(
            "today", ["iccid": iccid, "carrier_rate_plan": "IoT 1GB", "effective_date": "2026-03-10"],
            change("IoT 1GB", date: "2026-03-10")),
        RowCase(
            "today with a time and an offset",
            ["iccid": iccid, "carrier_rate_plan": "IoT 1GB", "effective_date": "2026-03-10T13:00:00+01:00"],
            change("IoT 1GB", date: "2026-03-10T12:00:00Z")),
        RowCase(
            "yesterday", ["iccid": iccid, "carrier_rate_plan": "IoT 1GB", "effective_date": "2026-03-09"],
            .rejected(column: "effective_date", message: "1 day before today")),
        RowCase(
            "181 days ahead", ["iccid": iccid, "carrier_rate_plan": "IoT 1GB", "effective_date": "2026-09-07"],
            .rejected(column: "effective_date", message: "181 days ahead")),
        RowCase("no plan", ["iccid": iccid], .rejected(column: "carrier_rate_plan", message: "missing")),
        RowCase(
            "plan the provider lacks", ["iccid": iccid, "carrier_rate_plan": "IoT 9GB"],
            .rejected(column: "carrier_rate_plan", message: "not a rate plan of this service provider")),
        RowCase(
            "plan names are exact", ["iccid": iccid, "carrier_rate_plan": "iot 1gb"],
            .rejected(column: "carrier_rate_plan", message: "not a rate plan")),
        RowCase(
            "communication plan the provider lacks",
            ["iccid": iccid, "carrier_rate_plan": "IoT 1GB", "communication_plan": "Voice"],
            .rejected(column: "communication_plan", message: "not a communication plan of this service provider")),
    ]

    @Test(arguments: cases)
    func row(_ row: RowCase) {
        row.verify(.carrierRatePlan)
    }

    @Test func columns() {
        #expect(
            ChangeType.carrierRatePlan.fields.map(\.name) == [
                "iccid", "carrier_rate_plan", "communication_plan", "effective_date",
            ])
        #expect(ChangeType.carrierRatePlan.fields.filter(\.required).map(\.name) == ["iccid", "carrier_rate_plan"])
    }
}
