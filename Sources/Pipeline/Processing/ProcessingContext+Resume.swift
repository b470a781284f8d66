import Foundation
import Jasper

/// What Control Center shows of an edit that was in flight when an earlier run stopped.
enum InFlightCheck: Sendable {
    /// The device already shows the edit: record it, send nothing.
    case alreadyShown
    /// The device does not show it: the edit sets absolute values, so sending it is safe.
    case notShown
    /// Nothing can be sent safely; the row ends with this result.
    case stop(DeviceResult)
}

extension ProcessingContext {
    /// For a row that was in flight when a run stopped, reads the device before anything is sent
    /// again, so an edit the carrier already applied is never applied twice. A future-dated edit
    /// cannot be read back before its date, so it is never sent blind a second time: the row
    /// tells a person to check it.
    func checkInFlight(
        _ iccid: String, future: Date?, oldValue: String?, newValue: String?,
        _ shows: @Sendable (JasperDevice) -> Bool
    ) async -> InFlightCheck {
        guard resuming else { return .notShown }
        if let future {
            return .stop(
                .failed(
                    "this edit was being sent when BulkDrop stopped, and Control Center shows a future-dated edit "
                        + "only on \(Timestamps.day(future)): check the device's scheduled changes in Control Center "
                        + "and drop the row again only if it is missing", oldValue: oldValue, newValue: newValue))
        }
        do {
            return shows(try await jasper.device(iccid)) ? .alreadyShown : .notShown
        } catch {
            return .stop(
                .failed(
                    "this edit was being sent when BulkDrop stopped, and reading the device to check it failed: "
                        + "\(error); nothing was sent again", oldValue: oldValue, newValue: newValue))
        }
    }
}
