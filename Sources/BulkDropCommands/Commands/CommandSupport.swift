import Foundation
import Pipeline

/// Argument helpers and error reporting shared by the commands that open the workspace.
enum CommandSupport {
    static func required(_ option: String, _ arguments: ParsedArguments, _ spec: CommandSpec) throws -> String {
        guard let value = arguments.options[option] else {
            throw UsageError.missingArgument("\(option) \(option.dropFirst(2).uppercased())", command: spec.displayName)
        }
        return value
    }

    /// The `BULK-CHANGE-ID` positional of `show` and `undo`.
    static func bulkChangeID(_ arguments: ParsedArguments, _ spec: CommandSpec) throws -> Int64 {
        let text = arguments.positionals[0]
        guard let id = Int64(text), id > 0 else {
            throw UsageError.invalidValue(
                option: "BULK-CHANGE-ID", value: text, expected: "a bulk change id ('bulkdrop status' lists them)",
                command: spec.displayName)
        }
        return id
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

    /// Runs `work`, prints its line, and turns a pipeline error into diagnostics and its exit status.
    static func report(_ console: Console, _ work: () throws -> String) throws -> Int32 {
        do {
            console.output.write(try work() + "\n")
            return ExitStatus.success
        } catch let error as PipelineError {
            return fail(console, error)
        }
    }

    /// Prints one `bulkdrop: error:` line per problem of `error` and returns its exit status.
    static func fail(_ console: Console, _ error: PipelineError) -> Int32 {
        for line in error.diagnostics { console.error(line) }
        return error.exitStatus
    }
}

extension PipelineError {
    /// 2 for a mistake in what the user gave (a configuration or an input file that cannot be
    /// used), 1 for a failure while running.
    var exitStatus: Int32 {
        switch self {
        case .configuration, .input: ExitStatus.usageOrInput
        default: ExitStatus.failure
        }
    }
}
