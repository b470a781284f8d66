import Foundation
import Pipeline

/// A workspace as the commands open it: when a provider uses `builtin-simulator`, the simulator
/// is started first and handed to the workspace, and on a new database the demo inventory is
/// loaded into both.
public struct EmbeddedWorkspace: Sendable {
    public let workspace: Workspace
    /// The built-in simulator, when the configuration uses it.
    public let simulator: BuiltInSimulatorHost?

    /// Opens the workspace of `configuration`, with the built-in simulator when it needs one.
    public static func open(_ configuration: PipelineConfiguration, now: @escaping @Sendable () -> Date = { Date() })
        async throws(PipelineError) -> EmbeddedWorkspace
    {
        let host =
            configuration.usesBuiltInSimulator ? try BuiltInSimulatorHost.start(for: configuration, now: now) : nil
        let workspace: Workspace
        do throws(PipelineError) {
            workspace = try await Workspace.open(configuration, now: now, builtIn: host?.access)
        } catch {
            host?.running.shutdown()
            throw error
        }
        let opened = EmbeddedWorkspace(workspace: workspace, simulator: host)
        do throws(PipelineError) {
            if let host, workspace.isFirstStart, configuration.tenants.contains(EmbeddedDefaults.tenant) {
                try await DemoSetup.seed(workspace, devices: host.running.simulator.allDevices)
            }
            try host?.save()
        } catch {
            await workspace.close()
            host?.running.shutdown()
            throw error
        }
        return opened
    }

    /// Closes the workspace, then keeps the simulator's devices and stops it.
    public func close() async throws(PipelineError) {
        await workspace.close()
        try simulator?.stop()
    }
}
