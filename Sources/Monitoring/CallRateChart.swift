/// A provider's calls per minute over the last hour as a small inline SVG bar chart; no script,
/// readable at any width (it scales with `viewBox`).
///
/// The scale fits the busiest minute, so a quiet account still shows its shape; the configured
/// limit is a dashed line when it falls inside the scale, else its label says it is above.
enum CallRateChart {
    private static let width = 600.0
    private static let height = 120.0
    private static let top = 28.0

    /// - Parameters:
    ///   - perMinute: calls in each minute, oldest first, ending with the current minute.
    ///   - limitPerSecond: the configured rate; drawn as calls per minute.
    static func svg(provider: String, perMinute: [Int], limitPerSecond: Double) -> String {
        let limit = limitPerSecond * 60
        let peak = perMinute.max() ?? 0
        let scale = max(Double(peak) * 1.15, 1)
        let slot = width / Double(max(perMinute.count, 1))
        var bars = ""
        for (index, count) in perMinute.enumerated() where count > 0 {
            let barHeight = (height - top) * Double(count) / scale
            bars +=
                "<rect x=\"\(format(Double(index) * slot + 1))\" y=\"\(format(height - barHeight))\" "
                + "width=\"\(format(slot - 2))\" height=\"\(format(barHeight))\"><title>\(count) calls</title></rect>"
        }
        let limitLine: String
        if limit <= scale {
            let y = format(height - (height - top) * limit / scale)
            limitLine =
                "<line class=\"limit\" x1=\"0\" x2=\"\(Int(width))\" y1=\"\(y)\" y2=\"\(y)\"/>"
                + "<text x=\"6\" y=\"20\">limit \(Int(limit.rounded()))/min · peak \(peak)/min</text>"
        } else {
            limitLine =
                "<text x=\"6\" y=\"20\">peak \(peak)/min · limit \(Int(limit.rounded()))/min, off the chart</text>"
        }
        let label = HTMLText.escaped(
            "\(provider): calls per minute over the last hour, peak \(peak), limit \(Int(limit.rounded())) per minute")
        return """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(label)" \
            xmlns="http://www.w3.org/2000/svg"><title>\(label)</title>\
            <rect class="frame" x="0" y="0" width="\(Int(width))" height="\(Int(height))"/>\
            <g class="bars">\(bars)</g>\(limitLine)</svg>
            """
    }

    /// One decimal place is enough for a chart this size.
    private static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
