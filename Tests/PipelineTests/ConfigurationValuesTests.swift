import Foundation
import Testing

@testable import Pipeline

/// Values that cannot work are refused at load, each with its path and what is allowed, all of
/// them at once; a configuration built in code is refused by `Workspace.open` the same way.
@Suite("configuration values")
struct ConfigurationValuesTests {
    typealias ConfigFile = ConfigurationKeysTests.ConfigFile

    /// A provider with a real Control Center URL, its key in a variable.
    static let real = #""name": "POD19", "baseURL": "https://rws.example.com/rws/api/v1", "username": "api""#
    static let simulator = ConfigurationKeysTests.provider

    static func providers(_ objects: String...) -> String {
        #"{"serviceProviders": [\#(objects.map { "{\($0)}" }.joined(separator: ", "))]}"#
    }

    /// Top-level values.
    static let topLevel: [(json: String, expected: String)] = [
        (#"{"fanOutWidth": 0}"#, "fanOutWidth is 0; allowed: 1 or more"),
        (#"{"verificationChecks": 0}"#, "verificationChecks is 0; allowed: 1 or more"),
        (#"{"verificationIntervalSeconds": -1}"#, "verificationIntervalSeconds is -1; allowed: 0 to 86400"),
        (#"{"requestTimeoutSeconds": 0}"#, "requestTimeoutSeconds is 0; allowed: more than 0 and at most 86400"),
        (
            #"{"requestTimeoutSeconds": 1e300}"#,
            "requestTimeoutSeconds is 1e+300; allowed: more than 0 and at most 86400"
        ),
        (#"{"retryAttempts": 0}"#, "retryAttempts is 0; allowed: 1 or more"),
        (#"{"retryBaseDelaySeconds": -0.5}"#, "retryBaseDelaySeconds is -0.5; allowed: 0 to 86400"),
        (#"{"stateDirectory": ""}"#, "stateDirectory is empty; expected a folder"),
        (#"{"inventorySyncMinutes": -1}"#, "inventorySyncMinutes is -1; allowed: 0 to 10080"),
        (#"{"inventorySyncMinutes": 10081}"#, "inventorySyncMinutes is 10081; allowed: 0 to 10080"),
        (
            #"{"database": {"url": "postgresql://bulkdrop:s3cret@db/bulkdrop"}}"#,
            "database.url: the database URL holds a password; take it out of the URL and put it in an environment "
                + "variable named by \"passwordEnvironment\" (--password-environment for commands), so it never "
                + "appears in a log"
        ),
        (
            #"{"database": {"url": "mysql://db/bulkdrop"}}"#,
            "database.url: the database URL must look like postgresql://user@host:5432/bulkdrop"
        ),
    ]

    /// Values of `serviceProviders` elements.
    static let providerValues: [(json: String, expected: String)] = [
        (
            providers("\(simulator), \"callsPerSecond\": 0"),
            "serviceProviders[0].callsPerSecond is 0; allowed: more than 0"
        ),
        (
            providers("\(simulator), \"callsPerSecond\": -2"),
            "serviceProviders[0].callsPerSecond is -2; allowed: more than 0"
        ),
        (providers("\(simulator), \"maxInFlight\": 0"), "serviceProviders[0].maxInFlight is 0; allowed: 1 or more"),
        (
            providers("\(simulator), \"integration\": \"Jaspr\""),
            #"serviceProviders[0].integration is "Jaspr"; expected one of POD19, Jasper, TMobileJasper, Rogers"#
        ),
        (
            providers("\(simulator), \"usernameField\": \"deviceId\""),
            #"serviceProviders[0].usernameField is "deviceId"; expected deviceID or accountCustom1 … accountCustom10"#
        ),
        (
            providers(#""name": "P", "baseURL": "rws.example.com", "username": "u", "apiKeyFile": "/k""#),
            #"serviceProviders[0].baseURL is "rws.example.com"; expected the API root, such as "#
                + "https://rws.example.com/rws/api/v1, or builtin-simulator"
        ),
        (
            providers("\(real), \"apiKeyEnvironment\": \"K\", \"apiKeyFile\": \"/run/key\""),
            "serviceProviders[0]: give exactly one of apiKeyEnvironment and apiKeyFile "
                + "(only baseURL builtin-simulator needs neither)"
        ),
        (
            providers(real),
            "serviceProviders[0]: give exactly one of apiKeyEnvironment and apiKeyFile "
                + "(only baseURL builtin-simulator needs neither)"
        ),
        (
            providers(simulator, "\(real), \"name\": \"POD19\", \"apiKeyEnvironment\": \"K\""),
            #"serviceProviders[1].name is "POD19", the name of serviceProviders[0] already; give each its own name"#
        ),
    ]

    /// Values of `notifications`.
    static let notificationValues: [(json: String, expected: String)] = [
        (#"{"notifications": {"maxAttempts": 0}}"#, "notifications.maxAttempts is 0; allowed: 1 or more"),
        (
            #"{"notifications": {"from": "bulkdrop at example.com"}}"#,
            #"notifications.from is "bulkdrop at example.com"; expected a plain email address such as ops@example.com"#
        ),
        (
            #"{"notifications": {"operators": ["noc@example.com", "noc"]}}"#,
            #"notifications.operators[1] is "noc"; expected a plain email address such as ops@example.com"#
        ),
        (
            #"{"notifications": {"operators": []}}"#,
            "notifications.operators is empty; expected at least one address: operators hear about provider-wide failures"
        ),
        (
            #"{"notifications": {"tenantContacts": {"acme": ["Ops <ops@acme.example>"]}}}"#,
            #"notifications.tenantContacts.acme[0] is "Ops <ops@acme.example>"; expected a plain email address such as ops@example.com"#
        ),
        (
            #"{"notifications": {"smtpURL": "mail.example.com:587"}}"#,
            #"notifications.smtpURL is "mail.example.com:587"; expected smtp://host:587 (STARTTLS) or smtps://host:465"#
        ),
        (
            #"{"notifications": {"smtpURL": "smtps://mail.example.com", "passwordEnvironment": "P", "passwordFile": "/p"}}"#,
            "notifications: give at most one of passwordEnvironment and passwordFile"
        ),
        (
            #"{"notifications": {"smtpURL": "smtp://mail.example.com:25", "requireTLS": false, "passwordFile": "/p"}}"#,
            "notifications: a password is only sent over TLS; set requireTLS to true or use an smtps:// URL"
        ),
        (
            #"{"notifications": {"username": "ops", "passwordFile": "/p"}}"#,
            "notifications: username, passwordFile only apply to a mail server, and smtpURL is not set "
                + "(without it emails are only written as .eml files); set smtpURL or remove them"
        ),
    ]

    @Test(arguments: topLevel + providerValues + notificationValues)
    func valueThatCannotWorkIsRefusedWithWhatIsAllowed(json: String, expected: String) throws {
        let file = try ConfigFile(json)
        #expect(file.problems() == ["configuration \(file.path): \(expected)"])
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let file = try ConfigFile(
            #"""
            {"fanOutWidht": 8, "fanOutWidth": 0, "retryAttempts": 0,
             "serviceProviders": [{\#(Self.simulator), "callsPerSecond": 0, "maxInFlight": 0, "integration": "Rogerz"}],
             "notifications": {"from": "nobody", "maxAtempts": 2}}
            """#)
        #expect(
            file.problems().map { $0.replacingOccurrences(of: "configuration \(file.path): ", with: "") } == [
                #"unknown key "fanOutWidht"; did you mean "fanOutWidth"?"#,
                #"unknown key "notifications.maxAtempts"; did you mean "maxAttempts"?"#,
                #"serviceProviders[0].integration is "Rogerz"; expected one of POD19, Jasper, TMobileJasper, Rogers"#,
                "serviceProviders[0].callsPerSecond is 0; allowed: more than 0",
                "serviceProviders[0].maxInFlight is 0; allowed: 1 or more",
                "fanOutWidth is 0; allowed: 1 or more",
                "retryAttempts is 0; allowed: 1 or more",
                #"notifications.from is "nobody"; expected a plain email address such as ops@example.com"#,
            ])
    }

    @Test func theReadmeExampleLoads() throws {
        let file = try ConfigFile(
            #"""
            {
              "stateDirectory": "/var/lib/bulkdrop", "inbox": "/srv/sftp/inbox", "outbox": "/srv/sftp/outbox",
              "tenants": ["acme"],
              "serviceProviders": [
                { "name": "POD19", "integration": "POD19", "baseURL": "https://rws.example.com/rws/api/v1",
                  "username": "bulkdrop-api", "apiKeyEnvironment": "POD19_API_KEY", "writesEnabled": true,
                  "callsPerSecond": 5, "maxInFlight": 4, "usernameField": "deviceID" }
              ],
              "fanOutWidth": 32, "verificationChecks": 10, "verificationIntervalSeconds": 3,
              "requestTimeoutSeconds": 30, "retryAttempts": 4, "retryBaseDelaySeconds": 0.5,
              "notifications": {
                "smtpURL": "smtp://mail.example.com:587", "requireTLS": true, "caFile": "/etc/ssl/certs/ca.pem",
                "username": "bulkdrop", "passwordEnvironment": "SMTP_PASSWORD", "from": "bulkdrop@example.com",
                "operators": ["noc@example.com"], "tenantContacts": {"acme": ["iot-team@acme.example"]},
                "maxAttempts": 8
              }
            }
            """#)
        #expect(file.problems() == [])
    }

    @Test func workspaceRefusesABadConfigurationBuiltInCodeBeforeTouchingAnything() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-cfg-\(UUID().uuidString)")
        var configuration = PipelineConfiguration(stateDirectory: folder.path, fanOutWidth: 0)
        configuration.serviceProviders[0].callsPerSecond = 0
        await #expect(throws: PipelineError.self) { _ = try await Workspace.open(configuration) }
        do {
            let workspace = try await Workspace.open(configuration)
            await workspace.close()
        } catch {
            #expect(
                error.diagnostics == [
                    "configuration: serviceProviders[0].callsPerSecond is 0; allowed: more than 0",
                    "configuration: fanOutWidth is 0; allowed: 1 or more",
                ])
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path), "no database was created")
    }
}
