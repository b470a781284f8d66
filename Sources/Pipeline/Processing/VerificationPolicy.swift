import Jasper

/// How long to wait for Control Center to show a change it accepted: read back up to `checks`
/// times, `interval` apart. `pause` does the waiting; tests replace it to move a manual clock
/// instead of sleeping.
public struct VerificationPolicy: Sendable {
    public var checks: Int
    public var interval: Duration
    public var pause: @Sendable (Duration) async throws -> Void

    public init(
        checks: Int = 10, interval: Duration = .seconds(3),
        pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.checks = checks
        self.interval = interval
        self.pause = pause
    }

    /// Reads with `probe` until it says the change shows (first read at once); `false` when every check failed.
    func confirm(_ probe: @Sendable () async throws(JasperError) -> Bool) async throws(JasperError) -> Bool {
        for check in 1...max(1, checks) {
            if try await probe() { return true }
            if check < checks {
                do {
                    try await pause(interval)
                } catch {
                    throw .cancelled(call: "waiting to confirm a change")
                }
            }
        }
        return false
    }

    /// How long `confirm` waits in all, for messages.
    var patience: String {
        let seconds = Double((interval * max(0, checks - 1)).components.seconds)
        return "\(checks) reads over \(Int(seconds)) s"
    }
}
