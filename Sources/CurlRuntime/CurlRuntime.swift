internal import CCurl

/// libcurl's process-wide set-up, `curl_global_init`, done exactly once per process for every
/// target that uses libcurl (`HTTP` and `Mail`).
///
/// `curl_global_init` is not safe to call from two threads at once, so it has one home: the
/// executable calls `initialize()` at process start, before it starts any thread; the HTTP client
/// and the SMTP sender call `ensureInitialized()` before their first handle, the safety net for
/// tests and other callers that skip the first step. Whichever comes first does the work.
public enum CurlRuntime {
    /// The outcome of the one `curl_global_init` call; a `static let` runs its initialiser once,
    /// whatever the number of threads asking.
    private static let outcome: Result<Void, CurlRuntimeError> = {
        let code = curl_global_init(Int(CURL_GLOBAL_ALL))
        guard code == CURLE_OK else {
            return .failure(
                .initializationFailed(code: Int(code.rawValue), reason: String(cString: curl_easy_strerror(code))))
        }
        return .success(())
    }()

    /// Initialises libcurl for the whole process; call it at start, before any other thread runs.
    ///
    /// Calling it again (or after `ensureInitialized()`) returns the first call's outcome.
    ///
    /// - Throws: `CurlRuntimeError.initializationFailed` when libcurl could not be set up.
    public static func initialize() throws(CurlRuntimeError) {
        try outcome.get()
    }

    /// The lazy path for libcurl's users in this package: initialises libcurl when nobody did yet.
    ///
    /// A libcurl that cannot start leaves the process unable to do its job, so this stops it with
    /// the reason rather than let every request fail in some later, vaguer way.
    package static func ensureInitialized() {
        if case .failure(let error) = outcome { preconditionFailure("\(error)") }
    }
}

/// Why libcurl could not be set up for the process.
public enum CurlRuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `curl_global_init` returned `code`; `reason` is libcurl's text for it.
    case initializationFailed(code: Int, reason: String)

    public var description: String {
        switch self {
        case .initializationFailed(let code, let reason):
            "cannot initialise libcurl (curl_global_init returned \(code): \(reason)); "
                + "check that libcurl and its TLS library are installed (scripts/setup) and memory is available"
        }
    }
}
