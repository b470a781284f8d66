import Foundation
import Pipeline
import Synchronization

/// `bulkdrop run`: the service. Watches the inbox and applies what partners drop, until SIGINT or
/// SIGTERM (then the devices in flight finish and are recorded) or, with `--once`, until the inbox
/// holds nothing more that settles.
enum RunCommand: Command {
    static let spec = CommandSpec(
        path: ["run"],
        summary: "Watch the inbox and apply the bulk-change files partners drop there.",
        synopsis: "[--config FILE] [--once] [--poll-seconds N] [--settle-seconds N] [--progress-seconds N]",
        options: [
            WorkspaceAccess.configOption,
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
                let watcher = InboxWatcher(workspace: workspace, settings: settings)
                relay.attach(watcher)
                await watcher.run(once: once)
            }
            return "bulkdrop run: stopped"
        }
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
