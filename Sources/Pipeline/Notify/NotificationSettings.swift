/// Who hears about failures, and how mail leaves: the `notifications` object of the configuration.
///
/// Without `smtpURL` (the embedded default) messages are written as `.eml` files under
/// `<state>/mail/`, so they can be opened without a mail server.
public struct NotificationSettings: Codable, Sendable, Equatable {
    /// `smtp://host:587` (STARTTLS required) or `smtps://host:465`.
    public var smtpURL: String?
    /// Refuse to send without TLS (on unless a local relay on loopback is meant).
    public var requireTLS: Bool
    public var caFile: String?
    public var username: String?
    /// Where the SMTP password is: an environment variable or a file; never the configuration.
    public var passwordEnvironment: String?
    public var passwordFile: String?
    public var from: String
    /// Told about system-level failures (credentials refused, Control Center unreachable, writes disabled).
    public var operators: [String]
    /// Per tenant, the partner's contacts told about failed or rejected rows and unusable files.
    public var tenantContacts: [String: [String]]
    /// Attempts per message before it is kept as dead (listed by `bulkdrop status`).
    public var maxAttempts: Int

    public init(
        smtpURL: String? = nil, requireTLS: Bool = true, caFile: String? = nil, username: String? = nil,
        passwordEnvironment: String? = nil, passwordFile: String? = nil, from: String = "bulkdrop@localhost",
        operators: [String] = ["operators@localhost"],
        tenantContacts: [String: [String]] = ["demo": ["partner@demo.example"]], maxAttempts: Int = 8
    ) {
        self.smtpURL = smtpURL
        self.requireTLS = requireTLS
        self.caFile = caFile
        self.username = username
        self.passwordEnvironment = passwordEnvironment
        self.passwordFile = passwordFile
        self.from = from
        self.operators = operators
        self.tenantContacts = tenantContacts
        self.maxAttempts = maxAttempts
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case smtpURL, requireTLS, caFile, username, passwordEnvironment, passwordFile, from, operators
        case tenantContacts, maxAttempts
    }

    /// The keys `notifications` may hold (`tenantContacts` maps tenant names, which are data).
    static let keySet = KeySet(CodingKeys.self)

    /// Every key is optional; missing ones take the defaults of `init`.
    public init(from decoder: any Decoder) throws {
        let defaults = NotificationSettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            smtpURL: try container.decodeIfPresent(String.self, forKey: .smtpURL),
            requireTLS: try container.decodeIfPresent(Bool.self, forKey: .requireTLS) ?? defaults.requireTLS,
            caFile: try container.decodeIfPresent(String.self, forKey: .caFile),
            username: try container.decodeIfPresent(String.self, forKey: .username),
            passwordEnvironment: try container.decodeIfPresent(String.self, forKey: .passwordEnvironment),
            passwordFile: try container.decodeIfPresent(String.self, forKey: .passwordFile),
            from: try container.decodeIfPresent(String.self, forKey: .from) ?? defaults.from,
            operators: try container.decodeIfPresent([String].self, forKey: .operators) ?? defaults.operators,
            tenantContacts: try container.decodeIfPresent([String: [String]].self, forKey: .tenantContacts)
                ?? defaults.tenantContacts,
            maxAttempts: try container.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? defaults.maxAttempts)
    }
}
