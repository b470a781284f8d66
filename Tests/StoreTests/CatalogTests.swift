import Foundation
import Store
import TestSupport
import Testing

@Suite("Store: tenants, service providers and plans")
struct CatalogTests {
    @Test(arguments: TestEngine.allCases) func tenantsAreCreatedOnceAndLookedUpByName(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let (first, again, found, missing) = try await store.write { connection in
                (
                    try connection.ensureTenant(named: "acme"), try connection.ensureTenant(named: "acme"),
                    try connection.tenantID(named: "acme"), try connection.tenantID(named: "nobody")
                )
            }
            #expect(first == again)
            #expect(found == first)
            #expect(missing == nil)
        }
    }

    @Test(arguments: TestEngine.allCases) func tenantNamesAreListedByID(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            #expect(try await store.read { try $0.tenantNames() }.isEmpty)
            let fixture = try await Fixture.make(in: store)
            let names = try await store.read { try $0.tenantNames() }
            #expect(names == [fixture.tenantID: "acme", fixture.otherTenantID: "globex"])
        }
    }

    @Test(arguments: TestEngine.allCases) func providerIsUpsertedByNameWithItsKeySource(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            var provider = ServiceProviderRecord.pod19
            let id = try await store.write { [provider] in try $0.upsertProvider(provider) }
            provider.apiKeySource = .file("/etc/bulkdrop/pod19.key")
            provider.writesEnabled = false
            provider.usernameField = "accountCustom1"
            let sameID = try await store.write { [provider] in try $0.upsertProvider(provider) }
            #expect(sameID == id)

            provider.id = id
            let (byName, byID) = try await store.read { connection in
                (try connection.provider(named: "POD19 main"), try connection.provider(id: id))
            }
            #expect(byName == provider)
            #expect(byID == provider)
        }
    }

    @Test(arguments: [
        (APIKeySource.environment("POD19_API_KEY"), "env:POD19_API_KEY"),
        (.file("/run/secrets/key"), "file:/run/secrets/key"),
        (.builtInSimulator, "simulator"),
    ])
    func apiKeySourceRoundTripsThroughText(source: APIKeySource, text: String) {
        #expect(source.text == text)
        #expect(APIKeySource(text: text) == source)
    }

    @Test func apiKeySourceRefusesAnythingElse() {
        #expect(APIKeySource(text: "sk_live_123") == nil)
        #expect(APIKeySource(text: "env:") == nil)
    }

    @Test(arguments: TestEngine.allCases) func carrierAndCommunicationPlansArePerProvider(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let (rates, communications) = try await store.write { connection in
                try connection.upsertCarrierRatePlans(providerID: fixture.providerID, names: ["IoT 1GB", "IoT 5GB"])
                try connection.upsertCarrierRatePlans(providerID: fixture.providerID, names: ["IoT 5GB", "IoT 10GB"])
                try connection.upsertCommunicationPlans(providerID: fixture.providerID, names: Set(["Data only"]))
                return (
                    try connection.carrierRatePlans(providerID: fixture.providerID),
                    try connection.communicationPlans(providerID: fixture.providerID)
                )
            }
            #expect(rates == ["IoT 1GB", "IoT 5GB", "IoT 10GB"])
            #expect(communications == ["Data only"])
            let elsewhere = try await store.read { try $0.carrierRatePlans(providerID: fixture.providerID + 1) }
            #expect(elsewhere.isEmpty)
        }
    }

    @Test(arguments: TestEngine.allCases) func customerPlansAndPoolsArePerTenantAndUpsertedByCode(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let fixture = try await Fixture.make(in: store)
            let (plans, pools, otherPlans) = try await store.write { connection in
                try connection.upsertCustomerRatePlans(
                    tenantID: fixture.tenantID,
                    [
                        CustomerRatePlanRecord(code: "B", name: "Basic", dataAllocationMB: 100),
                        CustomerRatePlanRecord(code: "A", name: "Alarm"),
                    ])
                try connection.upsertCustomerRatePlans(
                    tenantID: fixture.tenantID,
                    [CustomerRatePlanRecord(code: "B", name: "Basic+", dataAllocationMB: 250.5)])
                try connection.upsertCustomerPools(
                    tenantID: fixture.tenantID, [CustomerPoolRecord(code: "P1", name: "Pool")])
                try connection.upsertCustomerPools(
                    tenantID: fixture.tenantID, [CustomerPoolRecord(code: "P1", name: "Shared")])
                return (
                    try connection.customerRatePlans(tenantID: fixture.tenantID),
                    try connection.customerPools(tenantID: fixture.tenantID),
                    try connection.customerRatePlans(tenantID: fixture.otherTenantID)
                )
            }
            #expect(
                plans == [
                    CustomerRatePlanRecord(code: "A", name: "Alarm"),
                    CustomerRatePlanRecord(code: "B", name: "Basic+", dataAllocationMB: 250.5),
                ])
            #expect(pools == [CustomerPoolRecord(code: "P1", name: "Shared")])
            #expect(otherPlans.isEmpty)
        }
    }
}
