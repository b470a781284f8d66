import Glibc

/// One `bulkdrop` command: its spec and what it does with checked arguments.
protocol Command: Sendable {
    static var spec: CommandSpec { get }

    /// Runs the command and returns the process exit status.
    ///
    /// - Throws: `UsageError` for arguments that do not fit; other errors are reported as failures.
    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32
}

/// Where commands write: standard output for results, standard error for diagnostics.
struct Console {
    let output: FileOutput
    let errors: FileOutput

    /// The process's standard output and standard error.
    static func standard() -> Console {
        Console(output: FileOutput(descriptor: STDOUT_FILENO), errors: FileOutput(descriptor: STDERR_FILENO))
    }

    /// Reports a problem the way compilers do: `bulkdrop: error: <what>`.
    func error(_ message: String) {
        errors.write("bulkdrop: error: \(message)\n")
    }

    func warning(_ message: String) {
        errors.write("bulkdrop: warning: \(message)\n")
    }
}

/// Exit statuses shared by all commands.
enum ExitStatus {
    static let success: Int32 = 0
    /// Something failed while running (a file could not be written, …).
    static let failure: Int32 = 1
    /// The command line or the input was wrong; the message says how.
    static let usageOrInput: Int32 = 2
}
