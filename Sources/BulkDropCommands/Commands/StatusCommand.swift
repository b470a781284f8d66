import Foundation
import Pipeline

/// `bulkdrop status`: the files being applied and the recent ones, with their counts.
enum StatusCommand: Command {
    static let spec = CommandSpec(
        path: ["status"],
        summary: "Show the files being applied now and the recent ones, with their outcome counts.",
        synopsis: "[--config FILE] [--recent N]",
        options: [
            WorkspaceAccess.configOption,
            .init("--recent", value: "N", "how many recent files to list (default 10)"),
        ]
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let recent = try OptionValues(arguments, spec: spec).integer("--recent", in: 1...1000) ?? 10
        return try CommandSupport.report(console) {
            let lines = try WorkspaceAccess.with(arguments) { workspace in
                try await StatusReport(workspace: workspace).lines(recent: recent)
            }
            return lines.joined(separator: "\n")
        }
    }
}
