import Mail

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
    /// Tenants whose contacts get the errors file as CSV; the others get the results workbook
    /// (`<stem>.results.xlsx`, whose Errors sheet can be fixed and dropped again).
    public var csvAttachmentTenants: [String]

    public init(
        smtpURL: String? = nil, requireTLS: Bool = true, caFile: String? = nil, username: String? = nil,
        passwordEnvironment: String? = nil, passwordFile: String? = nil, from: String = "bulkdrop@localhost",
        operators: [String] = ["operators@localhost"],
        tenantContacts: [String: [String]] = ["demo": ["partner@demo.example"]], maxAttempts: Int = 8,
        csvAttachmentTenants: [String] = []
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
        self.csvAttachmentTenants = csvAttachmentTenants
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case smtpURL, requireTLS, caFile, username, passwordEnvironment, passwordFile, from, operators
        case tenantContacts, maxAttempts, csvAttachmentTenants
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
            maxAttempts: try container.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? defaults.maxAttempts,
            csvAttachmentTenants: try container.decodeIfPresent([String].self, forKey: .csvAttachmentTenants)
                ?? defaults.csvAttachmentTenants)
    }

    /// Every value that cannot work; `path` is where the settings are (`notifications`).
    ///
    /// Addresses must be plain email addresses, operators and each tenant's contacts at least
    /// one, `maxAttempts` at least 1, the password given at most one way and only with TLS, and
    /// the SMTP-only keys only with `smtpURL` (without it mail is written as `.eml` files).
    func problems(at path: String) -> [ConfigurationProblem] {
        func key(_ name: String) -> String { ConfigurationPath.key(name, in: path) }
        var problems: [ConfigurationProblem?] = [Self.address(from, key("from"))]
        if operators.isEmpty {
            problems.append(
                .invalidValue(
                    path: key("operators"), value: "empty",
                    expected: "at least one address: operators hear about provider-wide failures"))
        }
        problems += operators.enumerated().map { Self.address($1, ConfigurationPath.index($0, in: key("operators"))) }
        for tenant in tenantContacts.keys.sorted() {
            let list = ConfigurationPath.key(tenant, in: key("tenantContacts"))
            let contacts = tenantContacts[tenant] ?? []
            if contacts.isEmpty {
                problems.append(
                    .invalidValue(
                        path: list, value: "empty",
                        expected: "at least one address, or leave the tenant out (then operators are told)"))
            }
            problems += contacts.enumerated().map { Self.address($1, ConfigurationPath.index($0, in: list)) }
        }
        problems.append(ConfigurationCheck.atLeast(1, maxAttempts, key("maxAttempts")))
        problems += smtpProblems(at: path)
        return problems.compactMap { $0 }
    }

    /// The mail server's URL, and the keys that only mean something with one.
    private func smtpProblems(at path: String) -> [ConfigurationProblem?] {
        func key(_ name: String) -> String { ConfigurationPath.key(name, in: path) }
        var problems: [ConfigurationProblem?] = [
            passwordEnvironment.flatMap {
                ConfigurationCheck.notEmpty($0, key("passwordEnvironment"), expected: "a variable name")
            },
            passwordFile.flatMap { ConfigurationCheck.notEmpty($0, key("passwordFile"), expected: "a file path") },
        ]
        if passwordEnvironment != nil, passwordFile != nil {
            problems.append(.conflict(path: path, fix: "give at most one of passwordEnvironment and passwordFile"))
        }
        guard let smtpURL else {
            let smtpOnly = [
                ("username", username), ("passwordEnvironment", passwordEnvironment), ("passwordFile", passwordFile),
                ("caFile", caFile),
            ]
            .compactMap { $0.1 == nil ? nil : $0.0 }
            if !smtpOnly.isEmpty {
                problems.append(
                    .conflict(
                        path: path,
                        fix: "\(smtpOnly.joined(separator: ", ")) only apply to a mail server, and smtpURL is not set "
                            + "(without it emails are only written as .eml files); set smtpURL or remove them"))
            }
            return problems
        }
        let scheme = smtpURL.lowercased().prefix { $0 != ":" }
        guard (scheme == "smtp" || scheme == "smtps"), smtpURL.contains("://"), !smtpURL.hasSuffix("://") else {
            problems.append(
                .invalidValue(
                    path: key("smtpURL"), value: "\"\(smtpURL)\"",
                    expected: "smtp://host:587 (STARTTLS) or smtps://host:465"))
            return problems
        }
        if scheme == "smtp", !requireTLS, passwordEnvironment != nil || passwordFile != nil {
            problems.append(
                .conflict(
                    path: path, fix: "a password is only sent over TLS; set requireTLS to true or use an smtps:// URL"))
        }
        return problems
    }

    private static func address(_ text: String, _ path: String) -> ConfigurationProblem? {
        MailAddress(text) != nil
            ? nil
            : .invalidValue(
                path: path, value: "\"\(text)\"", expected: "a plain email address such as ops@example.com")
    }
}
