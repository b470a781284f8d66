import Foundation

/// The Control Center calls the pipeline makes, for one account.
///
/// `JasperClient` answers them over HTTP; tests put a wrapper in front of it that fails at a
/// chosen step (before a call, or after a call whose answer is then lost), so every path of the
/// pipeline can be cut where a real carrier or a real crash would cut it.
public protocol JasperEndpoint: Sendable {
    /// `GET /devices/{iccid}`.
    func device(_ iccid: String) async throws(JasperError) -> JasperDevice
    /// `PUT /devices/{iccid}`: succeeds only on 2xx with the ICCID in the body.
    func editDevice(_ iccid: String, _ edit: DeviceEdit) async throws(JasperError) -> EditReceipt
    /// `GET /devices?modifiedSince=…`, every page.
    func modifiedDevices(since: Date) async throws(JasperError) -> [DeviceSummary]
    /// `GET /devices/{iccid}/auditTrails?daysOfHistory=N`, every page, newest first.
    func auditTrail(_ iccid: String, daysOfHistory: Int) async throws(JasperError) -> [AuditTrailEntry]
    /// `GET /devices/{iccid}/ctdUsages`.
    func usage(_ iccid: String) async throws(JasperError) -> DeviceUsage
    /// `GET /rateplans`, every page.
    func ratePlans() async throws(JasperError) -> [RatePlan]
}
