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
            .init("--since", value: "DATE", "devices modified since this day (default: 7 days ago)"),
            WorkspaceAccess.configOption,
        ]
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let provider = try InventoryArguments.required("--provider", arguments, spec)
        let since = try InventoryArguments.date("--since", arguments, spec) ?? Date().addingTimeInterval(-7 * 86_400)
        return try InventoryArguments.report(console) {
            let report = try WorkspaceAccess.with(arguments) { workspace in
                try await InventorySync(workspace: workspace).syncDevices(provider: provider, since: since)
            }
            return
                "devices sync: \(report.received) devices modified on \(provider), \(report.changed) changed in the inventory"
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
        let provider = try InventoryArguments.required("--provider", arguments, spec)
        return try InventoryArguments.report(console) {
            let plans = try WorkspaceAccess.with(arguments) { workspace in
                try await InventorySync(workspace: workspace).syncRatePlans(provider: provider)
            }
            return "plans sync: \(plans.count) rate plans on \(provider): \(plans.joined(separator: ", "))"
        }
    }
}

/// Argument helpers and error reporting shared by the inventory commands.
enum InventoryArguments {
    static func required(_ option: String, _ arguments: ParsedArguments, _ spec: CommandSpec) throws -> String {
        guard let value = arguments.options[option] else {
            throw UsageError.missingArgument("\(option) \(option.dropFirst(2).uppercased())", command: spec.displayName)
        }
        return value
    }

    static func date(_ option: String, _ arguments: ParsedArguments, _ spec: CommandSpec) throws -> Date? {
        guard let text = arguments.options[option] else { return nil }
        guard let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) else {
            throw UsageError.invalidValue(
                option: option, value: text, expected: "a day as YYYY-MM-DD", command: spec.displayName)
        }
        return date
    }

    /// Like `report`, for an import: each rejected row is a diagnostic, and any makes the exit status 1.
    static func reportImport(_ console: Console, _ work: () throws -> (line: String, rejected: [String])) throws
        -> Int32
    {
        var rejected: [String] = []
        let status = try report(console) {
            let outcome = try work()
            rejected = outcome.rejected
            return outcome.line
        }
        for line in rejected { console.error(line) }
        return rejected.isEmpty ? status : ExitStatus.failure
    }

    /// Runs `work`, prints its line, and turns a pipeline error into a diagnostic and exit status 1.
    static func report(_ console: Console, _ work: () throws -> String) throws -> Int32 {
        do {
            console.output.write(try work() + "\n")
            return ExitStatus.success
        } catch let error as PipelineError {
            console.error("\(error)")
            return ExitStatus.failure
        }
    }
}
