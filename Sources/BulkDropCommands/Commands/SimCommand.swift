import Foundation
import Glibc
import Jasper
import JasperSim

/// `bulkdrop sim`: the Jasper simulator as a server, for rehearsals and for driving with curl.
enum SimCommand: Command {
    static let spec = CommandSpec(
        path: ["sim"],
        summary: "Serve the Jasper (Control Center) simulator on a local port until interrupted.",
        synopsis: "[--port P] [--devices FILE | --generate N] [options]",
        options: [
            .init("--host", value: "ADDR", "address to listen on (default 127.0.0.1)"),
            .init("--port", value: "P", "port to listen on (default 0: one the OS picks; the URL is printed)"),
            .init("--devices", value: "FILE", "devices CSV: iccid, imei, msisdn, status, ratePlan, … (header)"),
            .init("--generate", value: "N", "make N valid devices from --seed instead (default 20)"),
            .init(
                "--accounts", value: "FILE", "JSON [{\"username\",\"apiKey\",\"accountId\"}] (default demo/demo-key)"),
            .init("--rate-plans", value: "A,B", "rate plans valid besides those the devices use"),
            .init("--communication-plans", value: "X,Y", "communication plans valid besides the devices' ones"),
            .init("--rate-limit", value: "N", "calls per second per account; more get 40000029"),
            .init("--throttle-status", value: "S", "HTTP status of a throttled answer (default 429)"),
            .init("--latency-ms", value: "N", "delay every answer by N ms"),
            .init("--jitter-ms", value: "N", "plus up to N ms at random"),
            .init("--fail-rate", value: "F", "answer this fraction of calls with 500 / 30000001"),
            .init("--slow-rate", value: "F", "answer this fraction of calls only after --slow-ms"),
            .init("--slow-ms", value: "N", "how slow a slow answer is (default 60000)"),
            .init("--drop-rate", value: "F", "close this fraction of connections without answering"),
            .init("--ignore-rate", value: "F", "accept this fraction of edits but change nothing"),
            .init(
                "--late-answer-rate", value: "F",
                "apply this fraction of edits at once but answer after --late-answer-ms"),
            .init("--late-answer-ms", value: "N", "how late a late answer is (default 60000)"),
            .init(
                "--apply-later-rate", value: "F",
                "answer this fraction of edits 202 and apply them --apply-later-ms later"),
            .init("--apply-later-ms", value: "N", "how much later such an edit lands (default 60000)"),
            .init("--async-edits-ms", value: "N", "every edit answers 202 and takes effect N ms later"),
            .init("--faults", value: "FILE", "initial faults as JSON, as PUT /_sim/faults takes (the flags above win)"),
            .init("--seed", value: "S", "seed of every random choice (default 1)"),
        ],
        details: """
            The API is served under /rws/api/v1 with HTTP Basic authentication (demo / demo-key by default):
              curl -u demo:demo-key http://127.0.0.1:PORT/rws/api/v1/devices/ICCID
            Test hooks under /_sim/ (no authentication): POST reset, POST devices, GET devices/ICCID,
            PUT faults, GET counters, GET scheduled (pending changes per ICCID). Stop with Ctrl-C.

            Faults about one edit (ignore, late answer, apply later) are drawn from --seed, the ICCID and
            how many edits of that device came before, so a run repeated with the same seed hits the same
            edits whatever the order of concurrent calls. A slow answer waits before the edit is applied;
            a late answer applies it at once and waits before answering. Only edits (PUT) are answered late
            by --late-answer-rate; a per-device fault in --faults can make a device's reads late too:
              {"deviceFaults": {"ICCID": {"kind": "lateAnswer", "delayMs": 5000, "editsOnly": false}}}
            Device fault kinds: refuse, serverError, slow, ignore, lateAnswer, applyLater.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let values = OptionValues(arguments, spec: spec)
        let configuration = try configuration(arguments)

        let accountId = configuration.users.first?.accountId ?? SimulatorUser.demo.accountId
        let devices: [SimulatedDevice]
        if let path = arguments.options["--devices"] {
            devices = try DeviceFile.load(path: path, defaultAccountId: accountId)
        } else {
            let count = try values.integer("--generate", in: 0...10_000_000) ?? 20
            devices = GeneratedDevices.make(count: count, seed: configuration.seed, accountId: accountId, now: Date())
        }

        let signals = StopSignals()
        let simulator = JasperSimulator(configuration: configuration, devices: devices)
        let port = try values.integer("--port", in: 0...65_535) ?? 0
        let running = try simulator.start(host: arguments.options["--host"] ?? "127.0.0.1", port: port)
        console.output.write("bulkdrop sim: \(devices.count) devices, listening on \(running.baseURL)\n")
        console.output.flush()
        signals.wait()
        running.shutdown()
        let counters = simulator.counters
        console.output.write(
            "bulkdrop sim: stopped after \(counters.totalCalls) calls "
                + "(\(counters.throttledCalls) throttled, at most \(counters.maxConcurrentCalls) at once)\n")
        return ExitStatus.success
    }

    /// The simulator's configuration from the command line (everything but the devices and the port).
    static func configuration(_ arguments: ParsedArguments) throws -> SimulatorConfiguration {
        let values = OptionValues(arguments, spec: spec)
        var configuration = SimulatorConfiguration(seed: UInt64(try values.integer("--seed", in: 0...Int.max) ?? 1))
        if let path = arguments.options["--accounts"] { configuration.users = try loadUsers(path) }
        configuration.rateLimit = try values.integer("--rate-limit", in: 1...1_000_000)
        configuration.throttleStatus = try values.integer("--throttle-status", in: 200...599) ?? 429
        configuration.latency = .milliseconds(try values.integer("--latency-ms", in: 0...600_000) ?? 0)
        configuration.jitter = .milliseconds(try values.integer("--jitter-ms", in: 0...600_000) ?? 0)
        configuration.asyncEditDelay = try values.integer("--async-edits-ms", in: 0...86_400_000).map {
            .milliseconds($0)
        }
        var faults = SimulatorFaults(slowDelayMs: 60_000, lateAnswerMs: 60_000, applyLaterMs: 60_000)
        if let path = arguments.options["--faults"] { faults = try loadFaults(path) }
        let delay = 0...3_600_000
        faults.serverErrorRate = try values.fraction("--fail-rate") ?? faults.serverErrorRate
        faults.slowRate = try values.fraction("--slow-rate") ?? faults.slowRate
        faults.slowDelayMs = try values.integer("--slow-ms", in: delay) ?? faults.slowDelayMs
        faults.dropRate = try values.fraction("--drop-rate") ?? faults.dropRate
        faults.ignoreEditRate = try values.fraction("--ignore-rate") ?? faults.ignoreEditRate
        faults.lateAnswerRate = try values.fraction("--late-answer-rate") ?? faults.lateAnswerRate
        faults.lateAnswerMs = try values.integer("--late-answer-ms", in: delay) ?? faults.lateAnswerMs
        faults.applyLaterRate = try values.fraction("--apply-later-rate") ?? faults.applyLaterRate
        faults.applyLaterMs = try values.integer("--apply-later-ms", in: 0...86_400_000) ?? faults.applyLaterMs
        configuration.faults = faults
        configuration.extraRatePlans = values.list("--rate-plans")
        configuration.extraCommunicationPlans = values.list("--communication-plans")
        return configuration
    }

    /// A faults file; a file that cannot be read or used is a mistake in the command line (exit 2).
    private static func loadFaults(_ path: String) throws(UsageError) -> SimulatorFaults {
        let problem: String
        do {
            return try SimulatorFaults.fromJSON(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as SimulatorFaultsError {
            problem = error.reason
        } catch {
            problem = "cannot read it: \(error.localizedDescription)"
        }
        throw .invalidValue(
            option: "--faults", value: path, expected: "a JSON file of faults as PUT /_sim/faults takes (\(problem))",
            command: spec.displayName)
    }

    private static func loadUsers(_ path: String) throws -> [SimulatorUser] {
        do {
            return try JSONDecoder().decode([SimulatorUser].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw AccountsFileProblem(path: path, underlying: "\(error)")
        }
    }
}

/// An accounts file that cannot be used.
struct AccountsFileProblem: Error, CustomStringConvertible {
    let path: String
    let underlying: String
    var description: String {
        "cannot read accounts file \(path): \(underlying); expected [{\"username\": …, \"apiKey\": …, \"accountId\": …}]"
    }
}

/// SIGINT and SIGTERM, blocked for every thread started after this and taken with `sigwait`.
struct StopSignals {
    private var set = sigset_t()

    init() {
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Blocks until one of the signals arrives.
    func wait() {
        var set = self.set
        var received: Int32 = 0
        sigwait(&set, &received)
    }
}
