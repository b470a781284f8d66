import Foundation
import Monitoring
import Pipeline
import Synchronization

/// `bulkdrop run`: the service. Watches the inbox and applies what partners drop, until SIGINT or
/// SIGTERM (then the devices in flight finish and are recorded) or, with `--once`, until the inbox
/// holds nothing more that settles.
enum RunCommand: Command {
    static let spec = CommandSpec(
        path: ["run"],
        summary: "Watch the inbox and apply the bulk-change files partners drop there.",
        synopsis:
            "[--config FILE] [--once] [--listen ADDRESS:PORT] [--poll-seconds N] [--settle-seconds N] "
            + "[--progress-seconds N]",
        options: [
            WorkspaceAccess.configOption,
            .init(
                "--listen", value: "ADDRESS:PORT",
                "serve /healthz, /readyz, /metrics and a status page there (default: the configuration's listen)"),
            .init("--poll-seconds", value: "N", "how often the inbox is read (default 2)"),
            .init("--settle-seconds", value: "N", "how long a file must stay unchanged before it is taken (default 5)"),
            .init("--progress-seconds", value: "N", "how often a running file reports progress (default 10)"),
        ],
        flags: [.init("--once", "apply what is in the inbox now, then exit (the nightly-batch form)")],
        details: """
            Files go in INBOX/<tenant>/ (CSV or JSON, named by change type: status-update_fleet.csv).
            Results appear in OUTBOX/<tenant>/; applied files are archived under STATE/archive/, unusable
            ones go to OUTBOX/<tenant>/rejected/ with a reason. On the embedded defaults the first start
            creates tenant demo on the built-in Jasper simulator with 30 demo devices:
              cp schemas/examples/*.csv inbox/demo/
            Events are logged to standard error as key=value lines.
            With --listen 127.0.0.1:9180 (or "listen" in the configuration) the service answers
            http://127.0.0.1:9180/ (status page), /healthz, /readyz and /metrics (Prometheus). An address
            other than loopback needs a token: "listenTokenEnvironment" names the variable that holds it.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let values = OptionValues(arguments, spec: spec)
        let settings = InboxWatcher.Settings(
            pollInterval: .seconds(try values.integer("--poll-seconds", in: 1...3600) ?? 2),
            settleInterval: .seconds(try values.integer("--settle-seconds", in: 0...3600) ?? 5),
            progressInterval: .seconds(try values.integer("--progress-seconds", in: 0...3600) ?? 10))
        let once = arguments.flags.contains("--once")
        let relay = StopRelay()
        let signals = StopSignals()  // before any other thread starts, so they all inherit the mask
        Thread.detachNewThread {
            signals.wait()
            relay.stop()
        }
        return try CommandSupport.report(console) {
            try WorkspaceAccess.with(arguments, sendsMail: true) { workspace in
                let monitor = try startMonitor(arguments, workspace: workspace)
                let watcher = InboxWatcher(workspace: workspace, settings: settings)
                relay.attach(watcher)
                await watcher.run(once: once)
                await monitor?.stop()
            }
            return "bulkdrop run: stopped"
        }
    }
}

extension RunCommand {
    /// Starts the HTTP listener when `--listen` or the configuration asks for one, and logs where it listens.
    ///
    /// - Throws: `PipelineError.configuration` for an address that cannot be used (not loopback
    ///   and no token, a token variable not set, a port in use), before any file is taken.
    static func startMonitor(_ arguments: ParsedArguments, workspace: Workspace) throws(PipelineError)
        -> MonitorServer?
    {
        let configPath = arguments.options["--config"]
        let endpoint: ListenEndpoint?
        do {
            endpoint = try workspace.configuration.listenEndpoint(override: arguments.options["--listen"])
        } catch {
            throw .configuration(path: configPath, problems: [error])
        }
        guard let endpoint else { return nil }
        let monitor: MonitorServer
        do {
            monitor = try MonitorServer.start(endpoint, workspace: workspace)
        } catch {
            throw .configuration(
                path: configPath,
                problems: [.conflict(path: "listen", fix: "\(error); choose another port or stop what uses it")])
        }
        EventLog(now: workspace.now).event(
            "listening",
            [
                "address": monitor.endpoint.description, "token": endpoint.token == nil ? "none" : "required",
                "status_page": "http://\(monitor.endpoint.description)/",
            ])
        return monitor
    }
}

/// Carries a stop signal to the watcher, also when it arrives before the watcher exists.
final class StopRelay: Sendable {
    private let state = Mutex<(watcher: InboxWatcher?, stopped: Bool)>((nil, false))

    func attach(_ watcher: InboxWatcher) {
        let stopped = state.withLock { state in
            state.watcher = watcher
            return state.stopped
        }
        if stopped { watcher.requestStop() }
    }

    func stop() {
        let watcher = state.withLock { state in
            state.stopped = true
            return state.watcher
        }
        watcher?.requestStop()
    }
}
