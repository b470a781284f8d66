import Pipeline

/// `bulkdrop run`: the service job on the configured (or embedded default) set-up.
///
/// - Note: The inbox watcher is the next piece of work (issue 5). Today the job prepares the
///   workspace (on first start: tenant `demo`, the built-in simulator and its demo inventory),
///   applies the queued customer rate plan changes that are due, and says how to apply a file.
enum RunCommand: Command {
    static let spec = CommandSpec(
        path: ["run"],
        summary: "Prepare the workspace, apply due scheduled changes (the inbox watcher comes next).",
        synopsis: "[--config FILE]",
        options: [WorkspaceAccess.configOption],
        details: """
            On the embedded defaults the first start creates var/bulkdrop.sqlite with tenant demo, a POD19
            provider on the built-in Jasper simulator (demo / demo-key) and 30 demo devices, so the
            samples in schemas/examples/ work at once:
              swift run bulkdrop process schemas/examples/status-update.csv --tenant demo
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        try InventoryArguments.report(console) {
            let (configuration, applied) = try WorkspaceAccess.with(arguments) { workspace in
                (workspace.configuration, try await Scheduler(workspace: workspace).applyDue())
            }
            let files = applied.files.sorted { $0.key < $1.key }.map { "  report: \($0.value)\n" }.joined()
            return """
                bulkdrop run: database \(configuration.databasePath), tenants \(configuration.tenants.joined(separator: ", ")), \
                providers \(configuration.serviceProviders.map(\.name).joined(separator: ", "))
                scheduled customer rate plan changes applied: \(applied.count)
                \(files)\
                The inbox watcher (\(configuration.inbox)/<tenant>/ → \(configuration.outbox)/<tenant>/) is not built yet.
                Apply a file now with: bulkdrop process FILE --tenant TENANT
                  for example: bulkdrop process schemas/examples/status-update.csv --tenant demo
                """
        }
    }
}
