import Foundation
import Pipeline

/// `bulkdrop status`: the files being applied and the recent ones, with their counts, the
/// notifications and the workers; as text, or as one JSON object for scripts.
enum StatusCommand: Command {
    static let spec = CommandSpec(
        path: ["status"],
        summary: "Show the files being applied now and the recent ones, with their outcome counts.",
        synopsis: "[--config FILE] [--recent N] [--json]",
        options: [
            WorkspaceAccess.configOption,
            .init("--recent", value: "N", "how many recent files to list (default 10)"),
        ],
        flags: [
            .init(
                "--json",
                "one JSON object: running, recent (files), notificationsWaiting, deadNotifications, workers")
        ]
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let recent = try OptionValues(arguments, spec: spec).integer("--recent", in: 1...1000) ?? 10
        let json = arguments.flags.contains("--json")
        return try CommandSupport.report(console) {
            try WorkspaceAccess.with(arguments) { workspace in
                let report = StatusReport(workspace: workspace)
                guard json else { return try await report.lines(recent: recent).joined(separator: "\n") }
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                return String(decoding: try encoder.encode(try await report.snapshot(recent: recent)), as: UTF8.self)
            }
        }
    }
}
