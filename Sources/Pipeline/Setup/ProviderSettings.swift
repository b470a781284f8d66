import Store

/// A service provider as the configuration file describes it. The API key itself never appears:
/// `apiKeyEnvironment` names a variable, or `apiKeyFile` a file, that holds it.
public struct ProviderSettings: Codable, Sendable, Equatable {
    public var name: String
    /// POD19, Jasper, TMobileJasper or Rogers.
    public var integration: String
    /// The API root (`https://…/rws/api/v1`), or `builtin-simulator`.
    public var baseURL: String
    public var username: String
    public var apiKeyEnvironment: String?
    public var apiKeyFile: String?
    public var writesEnabled: Bool
    public var callsPerSecond: Double
    public var maxInFlight: Int
    /// The Control Center field that holds the username: `deviceID` or `accountCustom1`…`10`.
    public var usernameField: String?
    /// The account custom fields (`accountCustom1`…`10`) that hold cost centres 1, 2 and 3, in
    /// that order; a cost centre without one is kept by BulkDrop only.
    public var costCenterFields: [String]

    /// The `baseURL` that means "the simulator running inside this process".
    public static let builtInSimulatorURL = "builtin-simulator"

    public init(
        name: String, integration: String = IntegrationType.pod19.rawValue, baseURL: String, username: String,
        apiKeyEnvironment: String? = nil, apiKeyFile: String? = nil, writesEnabled: Bool = true,
        callsPerSecond: Double = 5, maxInFlight: Int = 4, usernameField: String? = nil, costCenterFields: [String] = []
    ) {
        self.name = name
        self.integration = integration
        self.baseURL = baseURL
        self.username = username
        self.apiKeyEnvironment = apiKeyEnvironment
        self.apiKeyFile = apiKeyFile
        self.writesEnabled = writesEnabled
        self.callsPerSecond = callsPerSecond
        self.maxInFlight = maxInFlight
        self.usernameField = usernameField
        self.costCenterFields = costCenterFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, integration, baseURL, username, apiKeyEnvironment, apiKeyFile, writesEnabled, callsPerSecond
        case maxInFlight, usernameField, costCenterFields
    }

    /// The keys an element of `serviceProviders` may hold.
    static let keySet = KeySet(CodingKeys.self)

    /// `name`, `baseURL` and `username` are required; the rest default as in `init`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            integration: try container.decodeIfPresent(String.self, forKey: .integration)
                ?? IntegrationType.pod19.rawValue,
            baseURL: try container.decode(String.self, forKey: .baseURL),
            username: try container.decode(String.self, forKey: .username),
            apiKeyEnvironment: try container.decodeIfPresent(String.self, forKey: .apiKeyEnvironment),
            apiKeyFile: try container.decodeIfPresent(String.self, forKey: .apiKeyFile),
            writesEnabled: try container.decodeIfPresent(Bool.self, forKey: .writesEnabled) ?? true,
            callsPerSecond: try container.decodeIfPresent(Double.self, forKey: .callsPerSecond) ?? 5,
            maxInFlight: try container.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? 4,
            usernameField: try container.decodeIfPresent(String.self, forKey: .usernameField),
            costCenterFields: try container.decodeIfPresent([String].self, forKey: .costCenterFields) ?? [])
    }

    /// The store's record of this provider, the element at `path` of `serviceProviders`.
    ///
    /// - Throws: `PipelineError.configuration` for an unknown integration or an API key that is
    ///   not given exactly once (a loaded configuration has been checked for both already).
    func record(at path: String) throws(PipelineError) -> ServiceProviderRecord {
        guard let type = IntegrationType(rawValue: integration) else {
            throw .configuration(path: nil, problems: [Self.unknownIntegration(integration, at: path)])
        }
        let source: APIKeySource
        switch (apiKeyEnvironment, apiKeyFile, baseURL == Self.builtInSimulatorURL) {
        case (let variable?, nil, _): source = .environment(variable)
        case (nil, let file?, _): source = .file(file)
        case (nil, nil, true): source = .builtInSimulator
        default: throw .configuration(path: nil, problems: [Self.apiKeyConflict(at: path)])
        }
        return ServiceProviderRecord(
            id: nil, name: name, integration: type, baseURL: baseURL, username: username, apiKeySource: source,
            writesEnabled: writesEnabled, callsPerSecond: callsPerSecond, maxInFlight: maxInFlight,
            usernameField: usernameField ?? "deviceID")
    }

    /// Every value of this provider that cannot work; `path` is its place in `serviceProviders`.
    func problems(at path: String) -> [ConfigurationProblem] {
        func key(_ name: String) -> String { ConfigurationPath.key(name, in: path) }
        typealias Check = ConfigurationCheck
        var problems: [ConfigurationProblem?] = [
            Check.notEmpty(name, key("name"), expected: "the provider's name, such as POD19"),
            IntegrationType(rawValue: integration) == nil ? Self.unknownIntegration(integration, at: path) : nil,
            Self.isBaseURL(baseURL)
                ? nil
                : .invalidValue(
                    path: key("baseURL"), value: "\"\(baseURL)\"",
                    expected: "the API root, such as https://rws.example.com/rws/api/v1, or \(Self.builtInSimulatorURL)"
                ),
            Check.notEmpty(username, key("username"), expected: "the Control Center API user"),
            Check.positive(callsPerSecond, key("callsPerSecond")),
            Check.atLeast(1, maxInFlight, key("maxInFlight")),
        ]
        switch (apiKeyEnvironment, apiKeyFile) {
        case (nil, nil) where baseURL != Self.builtInSimulatorURL, (.some, .some):
            problems.append(Self.apiKeyConflict(at: path))
        default:
            problems.append(
                apiKeyEnvironment.flatMap { Check.notEmpty($0, key("apiKeyEnvironment"), expected: "a variable name") })
            problems.append(apiKeyFile.flatMap { Check.notEmpty($0, key("apiKeyFile"), expected: "a file path") })
        }
        if let usernameField, EditUsernameProcessor.edit(setting: usernameField, to: "") == nil {
            problems.append(
                .invalidValue(
                    path: key("usernameField"), value: "\"\(usernameField)\"",
                    expected: "deviceID or accountCustom1 … accountCustom10"))
        }
        problems += costCenterProblems(at: key("costCenterFields"))
        return problems.compactMap { $0 }
    }

    /// At most three account custom fields, each named once and none the username's.
    private func costCenterProblems(at path: String) -> [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        if costCenterFields.count > 3 {
            problems.append(.outOfRange(path: path, value: "\(costCenterFields.count) fields", allowed: "at most 3"))
        }
        var seen: Set<String> = [usernameField ?? "deviceID"]
        for (index, field) in costCenterFields.enumerated() {
            let place = ConfigurationPath.index(index, in: path)
            if EditUsernameProcessor.customNumber(field) == nil {
                problems.append(
                    .invalidValue(path: place, value: "\"\(field)\"", expected: "accountCustom1 … accountCustom10"))
            } else if !seen.insert(field).inserted {
                problems.append(
                    .conflict(
                        path: place, fix: "\(field) is named twice (or holds the username); give each its own field"))
            }
        }
        return problems
    }

    private static func isBaseURL(_ text: String) -> Bool {
        guard text != builtInSimulatorURL else { return true }
        let lowered = text.lowercased()
        return ["https://", "http://"].contains { lowered.hasPrefix($0) && lowered.count > $0.count }
    }

    static func unknownIntegration(_ integration: String, at path: String) -> ConfigurationProblem {
        .invalidValue(
            path: ConfigurationPath.key("integration", in: path), value: "\"\(integration)\"",
            expected: "one of " + IntegrationType.allCases.map(\.rawValue).joined(separator: ", "))
    }

    static func apiKeyConflict(at path: String) -> ConfigurationProblem {
        .conflict(
            path: path,
            fix:
                "give exactly one of apiKeyEnvironment and apiKeyFile (only baseURL \(builtInSimulatorURL) needs neither)"
        )
    }
}
