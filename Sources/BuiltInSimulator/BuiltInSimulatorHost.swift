import Foundation
import JasperSim
import Pipeline

/// The Jasper simulator served inside this process for providers on `builtin-simulator`.
///
/// It starts with the devices an earlier run kept in the state directory, or with the demo's
/// devices when there is no database yet, and `stop()` keeps its devices for the next run.
public final class BuiltInSimulatorHost: Sendable {
    public let running: RunningSimulator
    /// `<state>/simulator-devices.json`.
    let statePath: String

    private init(running: RunningSimulator, statePath: String) {
        self.running = running
        self.statePath = statePath
    }

    /// What the workspace's `builtin-simulator` providers talk to: the simulator's address and the
    /// demo account's key.
    public var access: BuiltInControlCenter {
        BuiltInControlCenter(baseURL: running.baseURL, apiKey: SimulatorUser.demo.apiKey)
    }

    /// Starts the simulator on a loopback port the OS picks.
    ///
    /// - Throws: `PipelineError.simulator` when the kept devices cannot be read (the message says
    ///   which file to remove to start over) or the server cannot start.
    public static func start(for configuration: PipelineConfiguration, now: @escaping @Sendable () -> Date)
        throws(PipelineError) -> BuiltInSimulatorHost
    {
        let statePath = configuration.stateDirectory + "/simulator-devices.json"
        // A shared PostgreSQL database outlives this process; the SQLite file may have been removed.
        let databaseExists =
            configuration.database != nil || FileManager.default.fileExists(atPath: configuration.databasePath)
        var devices = DemoSetup.simulatorDevices(now: now())
        if databaseExists, let data = FileManager.default.contents(atPath: statePath) {
            do {
                devices = try JSONDecoder().decode([SimulatedDevice].self, from: data)
            } catch {
                throw .simulator(
                    "the devices kept in \(statePath) cannot be read (\(error)); remove the file to start again "
                        + "from the demo devices")
            }
        }
        let simulator = JasperSimulator(
            configuration: SimulatorConfiguration(extraCommunicationPlans: GeneratedDevices.communicationPlans),
            devices: devices, now: now)
        do {
            return BuiltInSimulatorHost(running: try simulator.start(), statePath: statePath)
        } catch {
            throw .simulator("\(error)")
        }
    }

    /// Writes the simulator's devices to the state directory (whole or not at all), creating the
    /// directory when nothing made it yet (on PostgreSQL no database file lives there).
    public func save() throws(PipelineError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same devices give the same bytes
        do {
            try FileManager.default.createDirectory(
                atPath: (statePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let data = try encoder.encode(running.simulator.allDevices)
            try data.write(to: URL(fileURLWithPath: statePath), options: .atomic)
        } catch {
            throw .simulator("cannot keep the simulator's devices in \(statePath): \(error)")
        }
    }

    /// Keeps the devices for the next run and stops serving; the server stops even when saving fails.
    public func stop() throws(PipelineError) {
        defer { running.shutdown() }
        try save()
    }
}
