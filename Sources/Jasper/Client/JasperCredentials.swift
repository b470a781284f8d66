import Foundation

/// The API user of a Control Center account: a username and its API key.
///
/// The key is kept in a `Secret` that prints, dumps and reflects as `<redacted>`; the only way it
/// leaves is inside the Authorization header the client builds.
public struct JasperCredentials: Sendable, Equatable, CustomStringConvertible {
    public let username: String
    let apiKey: Secret

    public init(username: String, apiKey: String) {
        self.username = username
        self.apiKey = Secret(apiKey)
    }

    /// `Basic base64(username:apiKey)`.
    var authorization: String {
        "Basic " + Data("\(username):\(apiKey.value)".utf8).base64EncodedString()
    }

    public var description: String { "JasperCredentials(username: \(username), apiKey: <redacted>)" }
}

/// A value that must never be printed or logged.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
