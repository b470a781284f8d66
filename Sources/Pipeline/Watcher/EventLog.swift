import Foundation
import Glibc

/// The service's log: one line per event on standard error, `key=value` pairs in a stable order
/// (`time`, `level`, `event`, then the event's own), values quoted when they hold spaces, quotes
/// or `=`. Nothing secret is ever passed to it: API keys live only in the Jasper client.
public struct EventLog: Sendable {
    /// How serious an event is.
    public enum Level: String, Sendable {
        case info, warning, error
    }

    private let sink: @Sendable (String) -> Void
    private let now: @Sendable () -> Date

    /// - Parameter sink: where lines go (standard error by default; tests collect them).
    public init(now: @escaping @Sendable () -> Date, sink: (@Sendable (String) -> Void)? = nil) {
        self.now = now
        self.sink =
            sink ?? { line in
                var bytes = Array(line.utf8)
                _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            }
    }

    /// Writes one event line.
    public func event(_ name: String, level: Level = .info, _ fields: KeyValuePairs<String, String> = [:]) {
        var line = "time=\(Timestamps.iso8601(now())) level=\(level.rawValue) event=\(name)"
        for (key, value) in fields { line += " \(key)=\(Self.quoted(value))" }
        sink(line + "\n")
    }

    /// `value` as is, or in double quotes (with `"` and `\` escaped) when it would break the line apart.
    static func quoted(_ value: String) -> String {
        let plain =
            !value.isEmpty && !value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.isNewline }
        if plain { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        return "\"\(escaped)\""
    }
}
