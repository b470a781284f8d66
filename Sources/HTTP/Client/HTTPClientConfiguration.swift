/// How the HTTP client connects: timeouts, certificate checks and proxy.
public struct HTTPClientConfiguration: Sendable {
    /// Longest wait for a connection to be set up (TCP and TLS).
    public var connectTimeout: Duration
    /// Longest time one request may take from start to the last byte of the response.
    public var requestTimeout: Duration
    /// A PEM file of certificate authorities to trust instead of the system's; certificates are always checked.
    public var caFile: String?
    /// A proxy URL such as `http://proxy.example:3128`, or `nil` for none.
    public var proxy: String?

    public init(
        connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(30),
        caFile: String? = nil, proxy: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.caFile = caFile
        self.proxy = proxy
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny timeout never becomes "no timeout" (0 in libcurl).
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return max(1, Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
    }
}
