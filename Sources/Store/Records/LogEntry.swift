import Foundation

/// One call made (or step taken) for a bulk change detail, with its request and response text.
public struct LogEntry: Sendable, Equatable {
    public var detailID: Int64
    public var description: String
    /// The request as sent; secrets are scrubbed when it is stored.
    public var requestText: String
    /// The response as received; secrets are scrubbed when it is stored.
    public var responseText: String
    /// The HTTP status, when there was a response.
    public var responseStatus: Int?
    public var isError: Bool
    public var portal: Portal
    public var at: Date

    /// A log entry.
    public init(
        detailID: Int64, description: String, requestText: String, responseText: String, responseStatus: Int? = nil,
        isError: Bool, portal: Portal, at: Date
    ) {
        self.detailID = detailID
        self.description = description
        self.requestText = requestText
        self.responseText = responseText
        self.responseStatus = responseStatus
        self.isError = isError
        self.portal = portal
        self.at = at
    }
}

/// Which portal a log entry belongs to.
public enum Portal: String, Sendable, CaseIterable {
    case m2m = "M2M"
    case mobility = "Mobility"
}
