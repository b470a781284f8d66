import Foundation
import Jasper
import Pipeline
import Store
import TestSupport
import Testing

@testable import Monitoring

/// `/metrics` and the status page made from an observation built by hand, with names a partner
/// could choose: quotes, backslashes, line breaks and markup.
@Suite("Metrics text and status page")
struct ExpositionTests {
    static let hostileTenant = "acme \"north\"\\\nx"
    static let hostileFile = "<img src=x onerror=alert(1)>&.csv"

    static func observation() -> ServiceObservation {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let change = BulkChangeRecord(
            id: 7, tenantID: 1, providerID: 1, changeType: "status-update", sourceFileName: hostileFile,
            contentHash: "h", status: "PROCESSING", counts: ["PENDING": 300, "PROCESSED": 90, "FAILED": 10],
            createdAt: start, startedAt: start)
        let metrics = CallMetrics(now: { start })
        metrics.record(
            JasperExchange(
                call: "GET /devices", attempt: 1, requestBody: "", status: 200, responseBody: "", error: nil,
                duration: .milliseconds(30)), provider: "POD19")
        return ServiceObservation(
            readAt: start.addingTimeInterval(100), tenants: [hostileTenant, "quiet"],
            counts: ServiceCounts(
                filesByTenant: [.init(first: hostileTenant, second: "CLAIMED", count: 1)],
                rowsByChangeType: [.init(first: "status-update", second: "PROCESSED", count: 90)],
                confirmationBacklog: 3, notifications: ["PENDING": 2, "DEAD": 1], leases: ["FILE": 1]),
            running: [.init(tenant: hostileTenant, file: hostileFile, claimedAt: start, bulkChange: change)],
            recentByTenant: [(hostileTenant, [change]), ("quiet", [])], deadNotifications: [],
            providers: [
                .init(name: "POD19", callsPerSecondLimit: 5, calls: metrics.snapshot()["POD19"]),
                .init(name: "idle", callsPerSecondLimit: 2, calls: nil),
            ],
            workers: [
                WorkerRecord(
                    owner: "vm:1:a", host: "vm", pid: 1, startedAt: start, heartbeatAt: start.addingTimeInterval(95),
                    holds: [("BULK_CHANGE", 7), ("DETAIL_PAGE", 2)]),
                WorkerRecord(owner: "vm:2:b", host: "vm", pid: 2, startedAt: start, heartbeatAt: start, holds: []),
            ], leaseSeconds: 30)
    }

    @Test func theMetricsPassPromtoolsStrictCheck() async throws {
        let folder = try TestFolder().url
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = MetricsExposition.text(Self.observation())
        let file = folder.appendingPathComponent("metrics.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let printed = try await ExternalTool.run(
            "/bin/sh", ["-c", "promtool check metrics < metrics.txt 2>&1"], in: folder)
        #expect(printed.isEmpty, "promtool: \(printed)")
        #expect(text.contains("bulkdrop_files_in_progress{tenant=\"acme \\\"north\\\"\\\\\\nx\"} 1"))
        #expect(text.contains("bulkdrop_files_claimed_total{tenant=\"quiet\"} 0"), "a tenant without files has zeros")
        #expect(text.contains("bulkdrop_carrier_call_duration_seconds_bucket{provider=\"POD19\",le=\"0.05\"} 1"))
        #expect(text.contains("bulkdrop_carrier_calls_per_second{provider=\"idle\"} 0"))
        #expect(text.contains("bulkdrop_confirmation_backlog 3"))
        #expect(text.contains("bulkdrop_leases_held{kind=\"file\"} 1"))
    }

    @Test func theStatusPageEscapesWhatPartnersNameAndShowsProgress() {
        let html = StatusPage.html(Self.observation(), worker: "vm pid 1")
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;&amp;.csv"))
        #expect(html.contains("<progress max=\"400\" value=\"100\">25%</progress>"))
        // 100 rows in 100 s: 300 left at 1 row/s.
        #expect(html.contains("100 of 400 rows · 25% · about 5 min left"))
        #expect(html.contains("<svg class=\"chart\""))
        #expect(html.contains("No bulk change yet."))
        #expect(html.contains("vm pid 1</td><td data-label=\"Heartbeat\">5 s ago</td>"))
        #expect(html.contains("bulk change #7, detail page #2"))
        #expect(html.contains("data-label=\"Heartbeat\" class=\"bad\">2 min ago, silent: stopped or cut off"))
    }
}
