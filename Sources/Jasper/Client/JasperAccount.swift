import HTTP

/// One Control Center account as BulkDrop calls it: where, as whom, and how fast.
public struct JasperAccount: Sendable {
    /// The API root, such as `https://rws.example.com/rws/api/v1` (no trailing slash needed).
    public var baseURL: String
    public var credentials: JasperCredentials
    /// Calls per second the account allows (all API users together); 5 is the commonly quoted figure.
    public var callsPerSecond: Double
    /// Calls in flight at once; the vendor asks for few.
    public var maxInFlight: Int
    public var retry: RetryPolicy

    public init(
        baseURL: String, credentials: JasperCredentials, callsPerSecond: Double = 5, maxInFlight: Int = 4,
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.credentials = credentials
        self.callsPerSecond = callsPerSecond
        self.maxInFlight = maxInFlight
        self.retry = retry
    }
}

/// One call as it went over the wire, for the log: never holds the Authorization header.
public struct JasperExchange: Sendable, Equatable {
    /// `PUT /devices/8901…`, the call's name in logs and errors.
    public var call: String
    public var attempt: Int
    public var requestBody: String
    /// The HTTP status, or `nil` when no response came.
    public var status: Int?
    public var responseBody: String
    public var error: JasperError?
    /// How long this attempt took on the wire, from sending to the last byte of the answer (or the failure).
    public var duration: Duration

    public init(
        call: String, attempt: Int, requestBody: String, status: Int?, responseBody: String, error: JasperError?,
        duration: Duration
    ) {
        self.call = call
        self.attempt = attempt
        self.requestBody = requestBody
        self.status = status
        self.responseBody = responseBody
        self.error = error
        self.duration = duration
    }
}
