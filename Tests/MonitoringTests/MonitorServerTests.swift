import Foundation
import HTTP
import Jasper
import Monitoring
import Pipeline
import Store
import TestSupport
import Testing

/// The listener in this process over loopback, on a workspace of its own (SQLite in a temp folder).
@Suite("Monitor server routes and readiness")
struct MonitorServerTests {
    /// Runs `body` with a listener on an OS-chosen port and its root URL; the inbox folders are not made.
    static func withServer(_ body: (Workspace, String) async throws -> Void) async throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let configuration = PipelineConfiguration(
            stateDirectory: folder.url.appendingPathComponent("var").path,
            inbox: folder.url.appendingPathComponent("inbox").path,
            outbox: folder.url.appendingPathComponent("outbox").path)
        let workspace = try await Workspace.open(configuration)
        // The whole test run shares this process's cooperative threads, which a busy run can hold
        // for many seconds; these tests are not about the time limits.
        let server = try MonitorServer.start(
            ListenEndpoint(host: "127.0.0.1", port: 0, token: nil), workspace: workspace,
            limits: .init(read: .seconds(600), readiness: .seconds(600)))
        do {
            try await body(workspace, "http://\(server.endpoint)")
        } catch {
            await server.stop()
            await workspace.close()
            throw error
        }
        await server.stop()
        await workspace.close()
    }

    static func send(_ method: String, _ url: String) async throws -> HTTPResponse {
        let client = HTTPClient()
        defer { client.shutdown() }
        return try await client.send(HTTPRequest(method: method, target: url))
    }

    @Test func readinessNamesTheCheckThatFails() async throws {
        try await Self.withServer { workspace, root in
            let missing = try await Self.send("GET", root + "/readyz")
            #expect(missing.status == 503)
            #expect(missing.text.hasPrefix("not ready\nok store: answered in "), "\(missing.text)")
            #expect(missing.text.contains("FAIL inbox: \(workspace.configuration.inbox) is not a folder"))

            try FileManager.default.createDirectory(
                atPath: workspace.configuration.inbox + "/demo", withIntermediateDirectories: true)
            let ready = try await Self.send("GET", root + "/readyz")
            #expect(ready.status == 200, "\(ready.text)")
            #expect(ready.text.contains("ok provider POD19: no call yet"))

            let failed = JasperExchange(
                call: "GET /devices", attempt: 1, requestBody: "", status: 503, responseBody: "",
                error: .serverError(call: "GET /devices", status: 503, code: "", message: "down"),
                duration: .milliseconds(5))
            for _ in 0..<2 { workspace.callMetrics.record(failed, provider: "POD19") }
            #expect(try await Self.send("GET", root + "/readyz").status == 200, "two failures are not yet an outage")
            workspace.callMetrics.record(failed, provider: "POD19")
            let down = try await Self.send("GET", root + "/readyz")
            #expect(down.status == 503)
            #expect(down.text.contains("FAIL provider POD19: last call "), "\(down.text)")
            #expect(down.text.contains("(3 failed calls in a row)"), "\(down.text)")
        }
    }

    /// The chart adds the other workers' calls, read from the store, to this worker's own.
    @Test func theCallChartShowsEveryWorkersCalls() async throws {
        try await Self.withServer { workspace, root in
            let call = JasperExchange(
                call: "GET /devices", attempt: 1, requestBody: "", status: 200, responseBody: "", error: nil,
                duration: .milliseconds(5))
            for _ in 0..<3 { workspace.callMetrics.record(call, provider: "POD19") }
            let minute = CallMetrics.minute(of: Date())
            try await workspace.store.write { connection in
                try connection.recordCallMinutes(
                    owner: "another-worker", [CallMinute(provider: "POD19", minute: minute, calls: 7)],
                    keepingFrom: minute - 120)
            }
            let page = try await Self.send("GET", root + "/")
            #expect(page.text.contains("POD19: calls per minute over the last hour, peak 10,"), "\(page.text)")
        }
    }

    @Test func onlyGETOfTheKnownPathsIsServed() async throws {
        try await Self.withServer { _, root in
            let health = try await Self.send("GET", root + "/healthz")
            #expect(health.status == 200 && health.text == "ok\n")
            let post = try await Self.send("POST", root + "/metrics")
            #expect(post.status == 405 && post.headers["Allow"] == "GET, HEAD")
            let head = try await Self.send("HEAD", root + "/healthz")
            #expect(head.status == 200 && head.body.isEmpty, "an uptime check's HEAD")
            #expect(try await Self.send("GET", root + "/admin").status == 404)
            let page = try await Self.send("GET", root + "/")
            #expect(page.status == 200 && page.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(page.text.contains("None: the inbox is quiet."))
        }
    }
}
