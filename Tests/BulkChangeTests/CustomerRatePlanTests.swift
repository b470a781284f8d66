import BulkChange
import Testing

@Suite("customer-rate-plan")
struct CustomerRatePlanTests {
    static let iccid = Sample.iccid

    static func change(
        plan: String? = nil, pool: String? = nil, allocation: Double? = nil, date: String? = nil
    ) -> Expected {
        .request(
            .customerRatePlan(
                CustomerRatePlanChange(
                    iccid: iccid, customerRatePlanID: plan, customerPoolID: pool, dataAllocationMB: allocation,
                    effectiveDate: date.map(utc))))
    }

    static let cases: [RowCase] = [
        RowCase("plan only", ["iccid": iccid, "customer_rate_plan_id": "CRP-1"], change(plan: "CRP-1")),
        RowCase("pool only", ["iccid": iccid, "customer_pool_id": "POOL-1"], change(pool: "POOL-1")),
        RowCase(
            "everything, a year ahead",
            [
                "iccid": iccid, "customer_rate_plan_id": "CRP-1", "customer_pool_id": "POOL-1",
                "data_allocation_mb": "250.5", "effective_date": "2027-03-10",
            ],
            change(plan: "CRP-1", pool: "POOL-1", allocation: 250.5, date: "2027-03-10")),
        RowCase(
            "a past date applies now",
            ["iccid": iccid, "customer_rate_plan_id": "CRP-1", "effective_date": "2024-01-01"],
            change(plan: "CRP-1", date: "2024-01-01")),
        RowCase(
            "zero allocation", ["iccid": iccid, "customer_pool_id": "POOL-1", "data_allocation_mb": "0"],
            change(pool: "POOL-1", allocation: 0)),
        RowCase("neither plan nor pool", ["iccid": iccid], .rejected(column: nil, message: "neither")),
        RowCase(
            "negative allocation", ["iccid": iccid, "customer_pool_id": "POOL-1", "data_allocation_mb": "-5"],
            .rejected(column: "data_allocation_mb", message: "not a number of 0 or more")),
        RowCase(
            "decimal comma", ["iccid": iccid, "customer_pool_id": "POOL-1", "data_allocation_mb": "2,5"],
            .rejected(column: "data_allocation_mb", message: "not a number")),
        RowCase(
            "more than a year ahead",
            ["iccid": iccid, "customer_rate_plan_id": "CRP-1", "effective_date": "2027-03-11"],
            .rejected(column: "effective_date", message: "366 days ahead")),
        RowCase(
            "US date", ["iccid": iccid, "customer_rate_plan_id": "CRP-1", "effective_date": "03/10/2026"],
            .rejected(column: "effective_date", message: "not a date")),
        RowCase(
            "plan of no one", ["iccid": iccid, "customer_rate_plan_id": "CRP-9"],
            .rejected(column: "customer_rate_plan_id", message: "not a customer rate plan of this tenant")),
        RowCase(
            "pool of no one", ["iccid": iccid, "customer_rate_plan_id": "CRP-1", "customer_pool_id": "POOL-9"],
            .rejected(column: "customer_pool_id", message: "not a customer pool of this tenant")),
    ]

    @Test(arguments: cases)
    func row(_ row: RowCase) {
        row.verify(.customerRatePlan)
    }

    @Test func columns() {
        #expect(
            ChangeType.customerRatePlan.fields.map(\.name) == [
                "iccid", "customer_rate_plan_id", "customer_pool_id", "data_allocation_mb", "effective_date",
            ])
        #expect(ChangeType.customerRatePlan.fields.filter(\.required).map(\.name) == ["iccid"])
    }
}
