import Foundation
import Pipeline

/// `bulkdrop devices sync --provider P [--since DATE]`: modified devices from Control Center into the inventory.
enum DevicesSyncCommand: Command {
    static let spec = CommandSpec(
        path: ["devices", "sync"],
        summary: "Pull devices modified on Control Center into the inventory (status and plans).",
        synopsis: "--provider P [--since YYYY-MM-DD] [--config FILE]",
        options: [
            .init("--provider", value: "P", "the service provider to read (required)"),
            .init("--since", value: "DATE", "devices modified since this day (default: since the last sync)"),
            WorkspaceAccess.configOption,
        ],
        details: """
            Without --since the listing continues where the provider's last successful sync ended
            (15 minutes earlier, for clock differences); the first sync of a provider looks back
            30 days. A sync with --since later than that point does not move it.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let provider = try CommandSupport.required("--provider", arguments, spec)
        let since = try CommandSupport.date("--since", arguments, spec)
        return try CommandSupport.report(console) {
            let report = try WorkspaceAccess.with(arguments) { workspace in
                try await InventorySync(workspace: workspace).syncDevices(provider: provider, since: since)
            }
            return "devices sync: \(report.received) devices modified on \(provider) since "
                + "\(report.since.formatted(Date.ISO8601FormatStyle())), \(report.changed) changed in the inventory"
        }
    }
}

/// `bulkdrop plans sync --provider P`: the account's rate plans into the store.
enum PlansSyncCommand: Command {
    static let spec = CommandSpec(
        path: ["plans", "sync"],
        summary: "Pull the account's carrier rate plans from Control Center.",
        synopsis: "--provider P [--config FILE]",
        options: [
            .init("--provider", value: "P", "the service provider to read (required)"), WorkspaceAccess.configOption,
        ]
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let provider = try CommandSupport.required("--provider", arguments, spec)
        return try CommandSupport.report(console) {
            let plans = try WorkspaceAccess.with(arguments) { workspace in
                try await InventorySync(workspace: workspace).syncRatePlans(provider: provider)
            }
            return "plans sync: \(plans.count) rate plans on \(provider): \(plans.joined(separator: ", "))"
        }
    }
}
