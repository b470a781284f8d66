import Jasper
import Synchronization

/// The Control Center calls made for one device, collected while its processor runs.
///
/// The client's observer appends to `ExchangeLog.current`, a task-local set by the runner around
/// each device, so every call lands in the log of the device it was made for.
final class ExchangeLog: Sendable {
    private let entries = Mutex<[JasperExchange]>([])

    @TaskLocal static var current: ExchangeLog?

    func append(_ exchange: JasperExchange) {
        entries.withLock { $0.append(exchange) }
    }

    var exchanges: [JasperExchange] { entries.withLock { $0 } }

    /// The observer to give a `JasperClient`.
    static let observer: @Sendable (JasperExchange) -> Void = { exchange in current?.append(exchange) }
}
