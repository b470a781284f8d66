/// Where and how `SMTPSender` delivers mail.
///
/// The password never appears in `description`, `debugDescription` or a `dump`, and user
/// information in the URL (`smtp://user:secret@host`) is left out of every text we write.
public struct SMTPSettings: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The server: `smtp://host:587` (STARTTLS) or `smtps://host:465` (TLS from the start).
    ///
    /// A path names the domain sent with `EHLO` (`smtp://host:587/bulkdrop.example`).
    public var url: String
    /// Whether the connection must be encrypted; `true` unless the server is a local relay or a test.
    ///
    /// With `true`, an `smtp://` server must accept STARTTLS or nothing is sent (libcurl's
    /// `CURLUSESSL_ALL`; never "try and go on in clear text"). With `false`, `smtp://` is clear text.
    public var requireTLS: Bool
    /// A PEM file of the certificate authorities to trust instead of the system's.
    public var caFile: String?
    /// The user name to log in with, when the server wants one.
    public var username: String?
    /// The password to log in with; sent only over TLS.
    public var password: String?
    /// How long to wait for the connection (including TLS) to be set up.
    public var connectTimeout: Duration
    /// How long a whole delivery may take, connection included.
    public var totalTimeout: Duration

    /// Settings for `url`; TLS is required unless `requireTLS` is `false`.
    public init(
        url: String, requireTLS: Bool = true, caFile: String? = nil, username: String? = nil, password: String? = nil,
        connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(60)
    ) {
        self.url = url
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.username = username
        self.password = password
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }

    /// The settings for a log, without the password: `smtp://mail.example:587 (TLS required, user ops)`.
    public var description: String {
        var notes = [requireTLS ? "TLS required" : "TLS not required"]
        if let caFile { notes.append("CA file \(caFile)") }
        if let username { notes.append("user \(username)") }
        if password != nil { notes.append("password set") }
        return "\(Self.redacted(url)) (\(notes.joined(separator: ", ")))"
    }

    /// Same as `description`, so `String(reflecting:)` does not show the password either.
    public var debugDescription: String { description }

    /// A mirror without the password, for `dump` and the debugger.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "url": Self.redacted(url), "requireTLS": requireTLS, "caFile": caFile as Any,
                "username": username as Any, "password": password == nil ? "nil" : "<redacted>",
                "connectTimeout": connectTimeout, "totalTimeout": totalTimeout,
            ])
    }

    /// `url` without user information: `smtp://user:secret@host:587` becomes `smtp://host:587`.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound] + rest[rest.index(after: at)...])
    }
}
