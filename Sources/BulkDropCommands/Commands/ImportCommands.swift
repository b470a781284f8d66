import BulkChange
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

/// `bulkdrop schedule`: apply the queued changes that are due, and report them.
enum ScheduleCommand: Command {
    static let spec = CommandSpec(
        path: ["schedule"],
        summary:
            "Apply queued changes (customer rate plans, archivals) whose effective date has come, and report them.",
        synopsis: "[--config FILE]",
        options: [WorkspaceAccess.configOption],
        details: """
            Each run writes OUTBOX/<tenant>/<type>_scheduled_<time>.<run>.results.csv; the bulk change a
            row came from gets its status and result files updated, and the tenant's contacts an email
            when rows failed. Exit status 1 when a row FAILED or needs a check on Control Center.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        do {
            let (report, issues) = try WorkspaceAccess.with(arguments, sendsMail: true) { workspace in
                let log = EventLog(now: workspace.now)
                let report = try await Scheduler(workspace: workspace, log: log).applyDue()
                return (report, report.issues + (await Notifier(workspace: workspace, log: log).deliverDue()).issues)
            }
            for issue in issues { console.warning("\(issue)") }
            console.output.write(describe(report))
            return report.attention == 0 ? ExitStatus.success : ExitStatus.failure
        } catch let error as PipelineError {
            return CommandSupport.fail(console, error)
        }
    }

    /// `schedule: 1 queued change applied: 0 PROCESSED, 1 FAILED`, then the results files.
    static func describe(_ report: Scheduler.Report) -> String {
        var line = "schedule: \(Wording.count(report.count, "queued change")) applied"
        if report.count > 0 {
            let shown = Outcome.allCases.filter { [.processed, .failed].contains($0) || report.count($0) > 0 }
            line += ": " + shown.map { "\(report.count($0)) \($0.rawValue)" }.joined(separator: ", ")
        }
        let files = report.files.sorted { $0.key < $1.key }.flatMap { tenant, paths in
            paths.map { "\n  \(tenant): \($0)" }
        }
        return line + files.joined() + "\n"
    }
}
