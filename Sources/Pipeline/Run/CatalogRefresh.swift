import BulkChange
import Foundation

/// The provider's plan catalog brought up to date before a file is judged against it: when a row
/// names a carrier rate plan or a communication plan the catalog does not know, the catalog is
/// refreshed from Control Center once for the file (rate plans from `GET /rateplans`,
/// communication plans from the devices changed since the last sync, the only place the API shows
/// them), so a plan added on Control Center since the last `plans sync` is not rejected.
struct CatalogRefresh: Sendable {
    let workspace: Workspace

    /// Refreshes what a file naming those plans needs; whether anything was refreshed (the caller then judges the file
    /// against the new catalog). A failed refresh is not an error: the rows are judged against the
    /// catalog as it is, and their rejection says the plan is unknown.
    func refreshIfNeeded(
        ratePlans: Set<String>, communicationPlans: Set<String>, context: ValidationContext, provider: String
    ) async -> Bool {
        let unknownRatePlan = !ratePlans.isSubset(of: context.carrierRatePlans)
        let unknownCommunicationPlan = !communicationPlans.isSubset(of: context.communicationPlans)
        guard unknownRatePlan || unknownCommunicationPlan else { return false }
        let sync = InventorySync(workspace: workspace)
        var refreshed = false
        if unknownRatePlan, (try? await sync.syncRatePlans(provider: provider)) != nil { refreshed = true }
        if unknownCommunicationPlan, (try? await sync.syncDevices(provider: provider)) != nil { refreshed = true }
        return refreshed
    }
}
