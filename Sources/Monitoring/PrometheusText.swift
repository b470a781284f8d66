import Foundation

/// Metrics in the Prometheus text exposition format 0.0.4: each family once, with `# HELP` and
/// `# TYPE` before its samples; label values and help text escaped as the format wants.
struct PrometheusText {
    /// What a family counts.
    enum Kind: String {
        case counter, gauge, histogram
    }

    /// One line of a family: a name suffix (`_bucket`, `_sum`, `_count` for histograms), labels and a value.
    struct Sample {
        var suffix = ""
        var labels: [(name: String, value: String)]
        var value: Double

        init(suffix: String = "", _ labels: [(name: String, value: String)] = [], _ value: Double) {
            self.suffix = suffix
            self.labels = labels
            self.value = value
        }

        init(_ labels: [(name: String, value: String)] = [], _ value: Int) {
            self.init(labels, Double(value))
        }
    }

    /// The whole exposition so far.
    private(set) var text = ""

    /// The content type scrapers expect for this format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Adds a family: its help, its type and its samples (a family without samples keeps its help and type).
    mutating func add(_ name: String, _ kind: Kind, help: String, _ samples: [Sample]) {
        text += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
        for sample in samples {
            let labels = sample.labels.map { "\($0.name)=\"\(Self.escapedLabel($0.value))\"" }
            let labelText = labels.isEmpty ? "" : "{\(labels.joined(separator: ","))}"
            text += "\(name)\(sample.suffix)\(labelText) \(Self.number(sample.value))\n"
        }
    }

    /// Whole numbers without a fraction, `+Inf`, `-Inf` and `NaN` as the format spells them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A label value: backslash, double quote and line feed escaped.
    static func escapedLabel(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Help text: backslash and line feed escaped.
    static func escapedHelp(_ value: String) -> String {
        escapedLabel(value).replacingOccurrences(of: "\\\"", with: "\"")
    }
}
