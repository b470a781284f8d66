/// Control Center's error body: `{"errorMessage": "...", "errorCode": "..."}`.
public struct JasperErrorBody: Codable, Equatable, Sendable {
    public var errorMessage: String
    public var errorCode: String

    public init(errorCode: String, errorMessage: String) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}

/// The error codes Control Center documents.
public enum JasperErrorCode {
    public static let invalidCredentials = "10000001"
    public static let malformedJSON = "10000023"
    public static let invalidAPIVersion = "10000024"
    public static let invalidRequest = "10000028"
    public static let noAccess = "10000030"
    public static let notFound = "20000001"
    public static let serverError = "30000001"
    public static let rateLimitExceeded = "40000029"
}
