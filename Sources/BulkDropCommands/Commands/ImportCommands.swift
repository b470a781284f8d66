import Pipeline

/// `bulkdrop devices import FILE --tenant T --provider P`: load or update a tenant's devices from CSV.
enum DevicesImportCommand: Command {
    static let spec = CommandSpec(
        path: ["devices", "import"],
        summary: "Load or update a tenant's devices from a CSV file, reporting rejected rows.",
        synopsis: "FILE --tenant T --provider P [--config FILE]",
        positionals: ["FILE"],
        options: [
            .init("--tenant", value: "T", "the tenant the devices belong to (required)"),
            .init("--provider", value: "P", "their service provider (required)"),
            WorkspaceAccess.configOption,
        ],
        details: """
            Columns: iccid (required), imei, msisdn, status, carrier_rate_plan, communication_plan,
            customer_rate_plan, customer_pool, data_allocation_mb, username, cost_center_1..3,
            last_usage_date. A device of another tenant is never changed.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let tenant = try CommandSupport.required("--tenant", arguments, spec)
        let provider = try CommandSupport.required("--provider", arguments, spec)
        let path = arguments.positionals[0]
        return try CommandSupport.reportImport(console) {
            let report = try WorkspaceAccess.with(arguments) { workspace in
                try await InventoryImport(workspace: workspace).run(path: path, tenant: tenant, provider: provider)
            }
            let line =
                "devices import: \(report.inserted) added, \(report.updated) updated, \(report.rejected.count) rejected"
            return (line, report.rejected)
        }
    }
}

/// `bulkdrop plans import-customer FILE --tenant T`: a tenant's customer rate plans and pools.
enum CustomerPlansImportCommand: Command {
    static let spec = CommandSpec(
        path: ["plans", "import-customer"],
        summary: "Load a tenant's customer rate plans and pools from a CSV file.",
        synopsis: "FILE --tenant T [--config FILE]",
        positionals: ["FILE"],
        options: [.init("--tenant", value: "T", "the tenant (required)"), WorkspaceAccess.configOption],
        details: "Columns: kind (plan or pool), code, name, data_allocation_mb (plans only)."
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let tenant = try CommandSupport.required("--tenant", arguments, spec)
        let path = arguments.positionals[0]
        return try CommandSupport.reportImport(console) {
            let report = try WorkspaceAccess.with(arguments) { workspace in
                try await CustomerPlanImport(workspace: workspace).run(path: path, tenant: tenant)
            }
            let line =
                "plans import-customer: \(report.plans) plans, \(report.pools) pools, \(report.rejected.count) rejected"
            return (line, report.rejected)
        }
    }
}

/// `bulkdrop schedule`: apply the queued customer rate plan changes that are due.
enum ScheduleCommand: Command {
    static let spec = CommandSpec(
        path: ["schedule"],
        summary: "Apply queued customer rate plan changes whose effective date has come, and report them.",
        synopsis: "[--config FILE]",
        options: [WorkspaceAccess.configOption]
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        try CommandSupport.report(console) {
            let report = try WorkspaceAccess.with(arguments) { workspace in
                try await Scheduler(workspace: workspace).applyDue()
            }
            let files = report.files.sorted { $0.key < $1.key }.map { "\n  \($0.key): \($0.value)" }.joined()
            return "schedule: \(report.count) queued changes applied" + files
        }
    }
}
