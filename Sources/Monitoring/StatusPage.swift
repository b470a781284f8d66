import Foundation
import Pipeline
import Store

/// The read-only status page at `/`: files in progress with progress bars and time left, each
/// account's call rate over the last hour, notifications, the workers, and the last bulk changes
/// per tenant.
///
/// Plain HTML and CSS that reloads itself every few seconds; no script. On a narrow screen (a
/// phone) each table row becomes a small card of labelled lines.
enum StatusPage {
    /// Seconds between two reloads of the page.
    static let refreshSeconds = 10

    static func html(_ observation: ServiceObservation, worker: String) -> String {
        let time = Timestamps.iso8601(observation.readAt)
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="\(refreshSeconds)">
            <title>BulkDrop status</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>BulkDrop</h1><p class="meta">\(HTMLText.escaped(time)) · \(HTMLText.escaped(worker)) · \
            reloads every \(refreshSeconds) s</p></header>
            \(inProgress(observation))
            \(accounts(observation))
            \(notifications(observation))
            \(workers(observation))
            \(recent(observation))
            </body>
            </html>

            """
    }

    private static func inProgress(_ observation: ServiceObservation) -> String {
        guard !observation.running.isEmpty else {
            return section("in-progress", "Files in progress", "<p class=\"meta\">None: the inbox is quiet.</p>")
        }
        let files = observation.running.map { file in
            let (done, total) = file.progress
            let percent = total > 0 ? done * 100 / total : 0
            let left = file.secondsLeft(at: observation.readAt).map { "about \(HTMLText.duration(seconds: $0)) left" }
            let status = file.bulkChange.map { "bulk change \($0.id) · \($0.changeType) · \($0.status.lowercased())" }
            let facts = [
                total > 0 ? "\(done) of \(total) rows · \(percent)%" : "reading the file",
                left ?? (total > 0 ? "time left known after the first rows" : nil),
                status,
            ].compactMap { $0 }.joined(separator: " · ")
            return """
                <article class="file"><h3>\(HTMLText.escaped(file.tenant)) / \(HTMLText.escaped(file.file))</h3>
                <progress max="\(max(total, 1))" value="\(done)">\(percent)%</progress>
                <p class="meta">\(HTMLText.escaped(facts))</p></article>
                """
        }
        return section("in-progress", "Files in progress (\(files.count))", files.joined(separator: "\n"))
    }

    private static func accounts(_ observation: ServiceObservation) -> String {
        let figures = observation.providers.map { provider in
            let perMinute = provider.everyWorkersCallsPerMinute
            let rate = provider.calls.map { String(format: "%.1f", $0.callsPerSecond) } ?? "0"
            let last = provider.calls?.lastCall
            let lastText =
                last.map { "last call \(Timestamps.iso8601($0.at)): \($0.result)" }
                ?? "no call since this worker started"
            let health = last?.healthy == false ? " class=\"bad\"" : ""
            return """
                <figure>\(CallRateChart.svg(provider: provider.name, perMinute: perMinute, limitPerSecond: provider.callsPerSecondLimit))
                <figcaption><strong>\(HTMLText.escaped(provider.name))</strong>: limit \
                \(String(format: "%g", provider.callsPerSecondLimit))/s · this worker: \(rate) calls/s now, \
                <span\(health)>\(HTMLText.escaped(lastText))</span></figcaption></figure>
                """
        }
        return section(
            "accounts", "Calls per account and minute, last hour, all workers",
            "<div class=\"accounts\">\(figures.joined(separator: "\n"))</div>")
    }

    private static func notifications(_ observation: ServiceObservation) -> String {
        let waiting = observation.counts.notifications[NotificationStatus.pending.rawValue] ?? 0
        let dead = observation.deadNotifications
        var body = "<p>\(waiting) waiting · <span\(dead.isEmpty ? "" : " class=\"bad\"")>\(dead.count) dead</span></p>"
        if !dead.isEmpty {
            let rows = dead.suffix(20).reversed().map { record in
                row([
                    ("Subject", record.subject, ""), ("To", record.recipients.joined(separator: ", "), ""),
                    ("Attempts", "\(record.attempts)", ""), ("Last error", record.lastError ?? "", ""),
                ])
            }
            body += table(["Subject", "To", "Attempts", "Last error"], rows)
        }
        return section("notifications", "Notifications", body)
    }

    private static func workers(_ observation: ServiceObservation) -> String {
        let rows = observation.workers.map { worker in
            let age = max(0, observation.readAt.timeIntervalSince(worker.heartbeatAt))
            let silent = age > observation.leaseSeconds
            let holds = worker.holds.map {
                "\($0.kind.lowercased().replacingOccurrences(of: "_", with: " ")) #\($0.id)"
            }
            return row([
                ("Worker", "\(worker.host) pid \(worker.pid)", ""),
                (
                    "Heartbeat",
                    "\(HTMLText.duration(seconds: age)) ago" + (silent ? ", silent: stopped or cut off" : ""),
                    silent ? " class=\"bad\"" : ""
                ),
                ("Holds", holds.isEmpty ? "nothing" : holds.joined(separator: ", "), ""),
            ])
        }
        let body =
            rows.isEmpty
            ? "<p class=\"meta\">No worker has a heartbeat.</p>" : table(["Worker", "Heartbeat", "Holds"], rows)
        return section("workers", "Workers (\(rows.count))", body)
    }

    private static func recent(_ observation: ServiceObservation) -> String {
        let tenants = observation.recentByTenant.map { tenant, changes in
            let rows = changes.map { change in
                let outcomes = change.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }
                    .map { "\($0.value) \($0.key.lowercased())" }.joined(separator: " · ")
                let bad = ["FAILED", "COMPLETED_WITH_ERRORS"].contains(change.status) ? " class=\"bad\"" : ""
                return row([
                    ("#", "\(change.id)", ""), ("Status", change.status.lowercased(), bad),
                    ("File", change.sourceFileName, ""), ("Rows by outcome", outcomes, ""),
                    ("Change type", change.changeType, ""), ("Created (UTC)", Timestamps.iso8601(change.createdAt), ""),
                ])
            }
            let content =
                rows.isEmpty
                ? "<p class=\"meta\">No bulk change yet.</p>"
                : table(["#", "Status", "File", "Rows by outcome", "Change type", "Created (UTC)"], rows)
            return "<h3>\(HTMLText.escaped(tenant))</h3>\n\(content)"
        }
        return section(
            "recent", "Last \(ServiceObservation.recentPerTenant) bulk changes per tenant",
            tenants.joined(separator: "\n"))
    }

    private static func section(_ id: String, _ title: String, _ body: String) -> String {
        "<section id=\"\(id)\"><h2>\(HTMLText.escaped(title))</h2>\n\(body)\n</section>"
    }

    /// A table row; each cell carries its heading for the narrow layout, and `extra` attributes.
    private static func row(_ cells: [(heading: String, text: String, extra: String)]) -> String {
        "<tr>"
            + cells.map {
                "<td data-label=\"\(HTMLText.escaped($0.heading))\"\($0.extra)>\(HTMLText.escaped($0.text))</td>"
            }
            .joined() + "</tr>"
    }

    private static func table(_ headings: [String], _ rows: [String]) -> String {
        let head = headings.map { "<th>\(HTMLText.escaped($0))</th>" }.joined()
        return "<table><thead><tr>\(head)</tr></thead><tbody>\n" + rows.joined(separator: "\n") + "\n</tbody></table>"
    }

    private static let style = """
        :root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.4}
        body{margin:0 auto;max-width:72rem;padding:.75rem 1rem 2rem}
        h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .6rem;border-bottom:1px solid #8886}
        h3{font-size:1rem;margin:.8rem 0 .3rem;overflow-wrap:anywhere}
        .meta{color:#777;font-size:.9rem;margin:.2rem 0}.bad{color:#c62828;font-weight:600}
        .file{margin:.8rem 0}.file progress{width:100%;height:1.2rem}
        .accounts{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,34rem));gap:1rem}
        figure{margin:0}figcaption{font-size:.9rem}
        .chart{width:100%;height:auto;display:block}.chart .frame{fill:none;stroke:#8884}
        .chart .bars rect{fill:#1e88e5}.chart .limit{stroke:#e53935;stroke-dasharray:6 4}
        .chart text{font-size:18px;fill:#888}
        table{border-collapse:collapse;width:100%;font-size:.9rem}
        th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #8883;vertical-align:top}
        td{overflow-wrap:anywhere}
        @media (max-width:40rem){table,tbody,tr,td{display:block}thead{display:none}
        tr{padding:.4rem 0;border-bottom:1px solid #8885}td{border:none;padding:.05rem 0}
        td::before{content:attr(data-label) ": ";color:#777}}
        """
}
