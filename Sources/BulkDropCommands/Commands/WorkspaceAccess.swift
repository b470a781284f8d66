import BuiltInSimulator
import Pipeline

/// Opening the workspace (store, simulator, Jasper clients) for a command, from `--config FILE`
/// or the embedded defaults, and closing it when the command is done.
enum WorkspaceAccess {
    static let configOption = CommandSpec.Option(
        "--config", value: "FILE", "settings as JSON (default: embedded defaults: var/, inbox/, outbox/, tenant demo)")

    /// Runs `body` with an open workspace and closes it afterwards, also when `body` throws.
    ///
    /// - Parameter sendsMail: the command delivers notifications, so the SMTP password the
    ///   configuration names must be at hand before anything starts.
    /// - Throws: `PipelineError.configuration` for a configuration that cannot be used.
    static func with<Value: Sendable>(
        _ arguments: ParsedArguments, sendsMail: Bool = false,
        _ body: @escaping @Sendable (Workspace) async throws -> Value
    ) throws -> Value {
        let path = arguments.options["--config"]
        return try runBlocking {
            let loaded = try path.map { path throws(PipelineError) in try PipelineConfiguration.load(path: path) }
            let configuration = loaded ?? PipelineConfiguration()
            if sendsMail, let problem = configuration.notifications.unavailablePassword() {
                throw PipelineError.configuration(path: path, problems: [problem])
            }
            let opened = try await EmbeddedWorkspace.open(configuration)
            let value: Value
            do {
                value = try await body(opened.workspace)
            } catch {
                try? await opened.close()  // the body's error is the one to report
                throw error
            }
            try await opened.close()
            return value
        }
    }
}
