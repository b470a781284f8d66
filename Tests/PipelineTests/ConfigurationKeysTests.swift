import Foundation
import Testing

@testable import Pipeline

/// Loading a configuration file: every key it does not have is refused with its path and, when
/// it looks like a typo, the key that was probably meant.
@Suite("configuration keys")
struct ConfigurationKeysTests {
    /// A configuration file in a temporary folder of its own.
    struct ConfigFile {
        let folder: URL
        var path: String { folder.appendingPathComponent("cfg.json").path }

        init(_ text: String) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulkdrop-cfg-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        /// The diagnostics of loading the file; empty when it loads.
        func problems() -> [String] {
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                _ = try PipelineConfiguration.load(path: path)
                return []
            } catch {
                return error.diagnostics
            }
        }
    }

    static let provider = #""name": "POD19", "baseURL": "builtin-simulator", "username": "demo""#

    @Test(arguments: [
        (#"{"fanOutWidht": 8}"#, #"unknown key "fanOutWidht"; did you mean "fanOutWidth"?"#),
        (
            #"{"serviceProviders": [{\#(provider), "callsPerSecnd": 2}]}"#,
            #"unknown key "serviceProviders[0].callsPerSecnd"; did you mean "callsPerSecond"?"#
        ),
        (
            #"{"serviceProviders": [{\#(provider)}, {"name": "B", "baseURL": "builtin-simulator", "username": "u", "maxInflight": 2}]}"#,
            #"unknown key "serviceProviders[1].maxInflight"; did you mean "maxInFlight"?"#
        ),
        (
            #"{"notifications": {"maxAtempts": 3}}"#,
            #"unknown key "notifications.maxAtempts"; did you mean "maxAttempts"?"#
        ),
        (
            #"{"notifications": {"smtpUrl": "smtp://mail.example:587"}}"#,
            #"unknown key "notifications.smtpUrl"; did you mean "smtpURL"?"#
        ),
    ])
    func typoAtEachLevelNamesItsPathAndTheKeyMeant(json: String, expected: String) throws {
        let file = try ConfigFile(json)
        #expect(file.problems() == ["configuration \(file.path): \(expected)"])
    }

    @Test func keyFarFromAnyListsTheAllowedOnes() throws {
        let file = try ConfigFile(#"{"serviceProviders": [{\#(Self.provider), "password": "x"}]}"#)
        #expect(
            file.problems() == [
                "configuration \(file.path): unknown key \"serviceProviders[0].password\"; the keys allowed there are "
                    + "name, integration, baseURL, username, apiKeyEnvironment, apiKeyFile, writesEnabled, "
                    + "callsPerSecond, maxInFlight, usernameField, costCenterFields"
            ])
    }

    @Test func everyUnknownKeyIsReportedAtOnce() throws {
        let file = try ConfigFile(
            #"""
            {"inbx": "in", "fanOutWidht": 8,
             "serviceProviders": [{\#(Self.provider), "callsPerSecnd": 2, "maxInFligth": 1}],
             "notifications": {"form": "a@b.example", "tenantContacts": {"acme": ["x@acme.example"]}}}
            """#)
        #expect(
            file.problems().map { $0.replacingOccurrences(of: "configuration \(file.path): ", with: "") } == [
                #"unknown key "fanOutWidht"; did you mean "fanOutWidth"?"#,
                #"unknown key "inbx"; did you mean "inbox"?"#,
                #"unknown key "notifications.form"; did you mean "from"?"#,
                #"unknown key "serviceProviders[0].callsPerSecnd"; did you mean "callsPerSecond"?"#,
                #"unknown key "serviceProviders[0].maxInFligth"; did you mean "maxInFlight"?"#,
            ], "tenant names under tenantContacts are data, not keys")
    }

    @Test func keysAreTakenFromTheCodingKeys() {
        #expect(PipelineConfiguration.keySet.keys == PipelineConfiguration.CodingKeys.allCases.map(\.rawValue))
        #expect(ProviderSettings.keySet.keys.contains("callsPerSecond"))
        #expect(NotificationSettings.keySet.keys.contains("tenantContacts"))
    }

    @Test(arguments: [
        ("", "", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("fanOutWidht", "fanOutWidth", 1),
        ("callsPerSecnd", "callsPerSecond", 1), ("ab", "ba", 1), ("abcd", "badc", 2),
    ])
    func editDistance(first: String, second: String, distance: Int) {
        #expect(EditDistance.between(first, second) == distance)
        #expect(EditDistance.between(second, first) == distance)
    }

    @Test func suggestionsOnlyWhenCloseEnough() {
        let keys = ["stateDirectory", "inbox", "outbox", "tenants"]
        #expect(KeySet.nearest(to: "INBOX", among: keys) == "inbox", "letter case is ignored")
        #expect(KeySet.nearest(to: "tenant", among: keys) == "tenants")
        #expect(KeySet.nearest(to: "box", among: keys) == nil, "two edits are too many for three letters")
        #expect(KeySet.nearest(to: "stateDir", among: keys) == nil)
    }

    @Test(arguments: [
        ("{\"fanOutWidth\": }", "not valid JSON: "),
        ("[1, 2]", "not a JSON object; the settings go between { and }"),
        (#"{"fanOutWidth": "wide"}"#, "fanOutWidth: "),
        (
            #"{"serviceProviders": [{"name": "A", "username": "u"}]}"#,
            #"missing key "serviceProviders[0].baseURL"; add it"#
        ),
    ])
    func unreadableFilesAndWrongValuesNameTheirPlace(json: String, expectedStart: String) throws {
        let file = try ConfigFile(json)
        let problems = file.problems()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("configuration \(file.path): \(expectedStart)") == true, "\(problems)")
    }

    @Test func missingFileSaysWhy() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).json")
            .path
        #expect(throws: PipelineError.self) { try PipelineConfiguration.load(path: path) }
        do {
            _ = try PipelineConfiguration.load(path: path)
        } catch {
            #expect(error.diagnostics == ["configuration \(path): No such file or directory; check the path"])
        }
    }

    @Test func aFileWithoutProblemsLoads() throws {
        let file = try ConfigFile(
            #"{"fanOutWidth": 8, "serviceProviders": [{\#(Self.provider), "callsPerSecond": 2}], "notifications": {"tenantContacts": {"acme": ["x@acme.example"]}}}"#
        )
        defer { try? FileManager.default.removeItem(at: file.folder) }
        let configuration = try PipelineConfiguration.load(path: file.path)
        #expect(configuration.fanOutWidth == 8)
        #expect(configuration.serviceProviders.map(\.callsPerSecond) == [2])
        #expect(configuration.notifications.tenantContacts == ["acme": ["x@acme.example"]])
    }
}
