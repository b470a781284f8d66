import Foundation
import HTTP
import Store
import TestSupport
import Testing

/// `bulkdrop run --listen` as an operator meets it: the status page in a real browser while a file
/// is being applied, `/metrics` checked by Prometheus's own `promtool`, `/readyz`, and the token
/// that guards any address other than loopback.
@Suite("bulkdrop run --listen: status page, metrics, readiness and token", .serialized)
struct MonitorTests {
    static let tokenVariable = "BULKDROP_TEST_LISTEN_TOKEN"

    /// A world whose file takes about a minute: 300 devices at 20 calls a second.
    static func slowWorld(devices: Int = 300) async throws -> ServiceWorld {
        try await ServiceWorld(
            devices: devices, providerSettings: "\"callsPerSecond\": 20",
            file: ("status-update_fleet.csv", "iccid,target_status", { "\(ServiceWorld.iccid($0)),DEACTIVATED" }))
    }

    /// The listener's root URL, from the service's `event=listening` line.
    static func listenerURL(_ service: ChildProcess) async throws -> String {
        let line = try #require(try await service.line { $0.contains("event=listening") })
        let address = try #require(line.split(separator: " ").first { $0.hasPrefix("address=") }?.dropFirst(8))
        let port = try #require(address.split(separator: ":").last)
        return "http://127.0.0.1:\(port)"
    }

    static func get(_ url: String, authorization: String? = nil) async throws -> HTTPResponse {
        let client = HTTPClient()
        defer { client.shutdown() }
        var headers = HTTPHeaders()
        if let authorization { headers.add("Authorization", authorization) }
        return try await client.send(HTTPRequest(method: "GET", target: url, headers: headers))
    }

    /// Runs headless Chromium (Debian's `chromium`) in `folder` with a profile of its own, for at
    /// most two minutes (coreutils' `timeout`), so a browser that hangs fails the test instead of
    /// holding the run.
    static func chromium(_ arguments: [String], in folder: URL) async throws -> String {
        try await ExternalTool.run(
            "/usr/bin/timeout",
            [
                "120", "/usr/bin/chromium",
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--no-first-run",
                "--user-data-dir=\(folder.appendingPathComponent("chromium").path)",
            ] + arguments, in: folder)
    }

    /// The width and height in a PNG file's IHDR chunk.
    static func pngSize(_ path: URL) throws -> (width: Int, height: Int) {
        let bytes = Array(try Data(contentsOf: path))
        try #require(bytes.count > 24 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let number = { (offset: Int) in bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }

    @Test func midFileTheBrowserShowsTheFileWithAProgressBarAndMetricsPassPromtool() async throws {
        let world = try await Self.slowWorld()
        let service = try world.service(["--listen", "127.0.0.1:0"])
        let root = try await Self.listenerURL(service)
        _ = try await service.line { line in
            guard line.contains("event=progress"),
                let done = line.split(separator: " ").first(where: { $0.hasPrefix("done=") })
            else { return false }
            return (Int(done.dropFirst(5)) ?? 0) >= 20
        }

        let metrics = try await Self.get(root + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        try metrics.text.write(
            to: world.folder.appendingPathComponent("metrics.txt"), atomically: true, encoding: .utf8)
        let promtool = try await ExternalTool.run(
            "/bin/sh", ["-c", "promtool check metrics < metrics.txt 2>&1"], in: world.folder)
        #expect(promtool.isEmpty, "promtool check metrics: \(promtool)")
        #expect(metrics.text.contains("bulkdrop_files_in_progress{tenant=\"acme\"} 1"), "\(metrics.text)")
        #expect(metrics.text.contains("bulkdrop_carrier_calls_total{provider=\"POD19\",code=\"200\"}"))
        #expect(metrics.text.contains("bulkdrop_leases_held{kind=\"bulk_change\"} 1"))

        let ready = try await Self.get(root + "/readyz")
        #expect(ready.status == 200, "\(ready.text)")
        #expect(ready.text.hasPrefix("ready\nok store: "), "\(ready.text)")

        let dom = try await Self.chromium(["--dump-dom", root + "/"], in: world.folder)
        let inProgress = try #require(
            dom.range(of: "<section id=\"in-progress\">").map { String(dom[$0.lowerBound...]) }?
                .components(separatedBy: "</section>").first)
        #expect(inProgress.contains("acme / status-update_fleet.csv"), "\(inProgress)")
        let progress = try #require(inProgress.range(of: "<progress max=\"300\" value=\""), "\(inProgress)")
        let value = Int(inProgress[progress.upperBound...].prefix { $0.isNumber }) ?? 0
        #expect(value >= 20 && value < 300, "the bar is part way: \(value) of 300")
        #expect(dom.contains("<svg class=\"chart\""), "the account's call rate chart")

        // Screenshots at a phone's and a laptop's width, kept in the temporary folder to look at.
        for (name, width, height) in [("phone", 412, 915), ("laptop", 1280, 900)] {
            let shot = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-status-\(name).png")
            _ = try await Self.chromium(
                ["--window-size=\(width),\(height)", "--screenshot=\(shot.path)", root + "/"], in: world.folder)
            let size = try Self.pngSize(shot)
            #expect(size.width == width && size.height == height, "\(name): \(size)")
        }

        service.send(SIGTERM)
        #expect(await service.exit().status == 0)
        // A worker that stops writes its last calls per minute, for every worker's chart.
        let store = try await Store.open(at: world.folder.appendingPathComponent("var/bulkdrop.sqlite").path)
        let minutes = try await store.read { try $0.callMinutes(from: 0, excluding: "") }
        await store.close()
        #expect(minutes.contains { $0.provider == "POD19" && $0.calls > 0 }, "\(minutes)")
        await world.finish()
    }

    @Test func anAddressOtherThanLoopbackIsRefusedWithoutATokenAndGuardedWithOne() async throws {
        let world = try await Self.slowWorld(devices: 5)
        let refused = try await BinaryRunner.run(
            ["run", "--once", "--config", world.config, "--listen", "0.0.0.0:0"], environment: world.environment)
        #expect(refused.status == 2, "\(refused.errors)")
        #expect(refused.errors.contains("listenTokenEnvironment"), "\(refused.errors)")
        let inbox = world.folder.appendingPathComponent("inbox/acme/status-update_fleet.csv").path
        #expect(FileManager.default.fileExists(atPath: inbox), "nothing was taken from the inbox")

        let configuration = try String(contentsOfFile: world.config, encoding: .utf8)
            .replacingOccurrences(
                of: "\"tenants\":", with: "\"listenTokenEnvironment\": \"\(Self.tokenVariable)\", \"tenants\":")
        try configuration.write(toFile: world.config, atomically: true, encoding: .utf8)
        let unset = try await BinaryRunner.run(
            ["run", "--once", "--config", world.config, "--listen", "0.0.0.0:0"], environment: world.environment)
        #expect(unset.status == 2 && unset.errors.contains(Self.tokenVariable), "\(unset.errors)")

        let token = "test-token-\(UUID().uuidString)"
        let service = try ChildProcess(
            BinaryRunner.executable.path,
            ["run", "--config", world.config, "--settle-seconds", "3600", "--listen", "0.0.0.0:0"],
            environment: world.environment.merging([Self.tokenVariable: token]) { $1 }, errorFile: nil)
        let root = try await Self.listenerURL(service)
        let anonymous = try await Self.get(root + "/healthz")
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["WWW-Authenticate"]?.hasPrefix("Basic") == true)
        #expect(try await Self.get(root + "/healthz", authorization: "Bearer wrong").status == 401)
        let bearer = try await Self.get(root + "/healthz", authorization: "Bearer \(token)")
        #expect(bearer.status == 200 && bearer.text == "ok\n")
        let basic = "Basic " + Data("ops:\(token)".utf8).base64EncodedString()
        #expect(try await Self.get(root + "/metrics", authorization: basic).status == 200)
        #expect(try await Self.get(root + "/nowhere", authorization: basic).status == 404)
        service.send(SIGTERM)
        #expect(await service.exit().status == 0)
        await world.finish()
    }
}
