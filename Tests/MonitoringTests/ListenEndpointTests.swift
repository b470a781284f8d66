import Pipeline
import Testing

/// The `listen` key and `--listen`: which addresses are loopback, and the token rule.
@Suite("Listen address and token rule")
struct ListenEndpointTests {
    @Test(arguments: ["127.0.0.1:9180", "127.8.9.10:1", "localhost:9180", "LOCALHOST:9180", "[::1]:9180"])
    func loopbackNeedsNoToken(address: String) throws {
        let endpoint = try #require(try PipelineConfiguration().listenEndpoint(override: address, environment: [:]))
        #expect(endpoint.isLoopback)
        #expect(endpoint.token == nil)
    }

    @Test(arguments: ["0.0.0.0:9180", "[::]:9180", "10.1.2.3:9180", "bulkdrop.example.com:9180", "[::2]:9180"])
    func anyOtherAddressIsRefusedWithoutAToken(address: String) {
        #expect {
            _ = try PipelineConfiguration().listenEndpoint(override: address, environment: [:])
        } throws: { error in
            "\(error)".contains("listenTokenEnvironment") && "\(error)".contains(address)
        }
        let configured = PipelineConfiguration(listen: address)
        #expect(configured.problems().map(\.description).contains { $0.hasPrefix("listen: ") })
    }

    @Test func aNamedTokenOpensOtherAddressesAndNeverPrintsItself() throws {
        let configuration = PipelineConfiguration(listen: "0.0.0.0:9180", listenTokenEnvironment: "MONITOR_TOKEN")
        #expect(configuration.problems().isEmpty)
        let endpoint = try #require(
            try configuration.listenEndpoint(override: nil, environment: ["MONITOR_TOKEN": "s3cret-token"]))
        #expect(endpoint.token == "s3cret-token")
        #expect(endpoint.description == "0.0.0.0:9180")
        #expect(!"\(endpoint)".contains("s3cret"))
    }

    @Test func aNamedTokenThatIsNotSetStopsTheStart() {
        let configuration = PipelineConfiguration(listen: "127.0.0.1:9180", listenTokenEnvironment: "MONITOR_TOKEN")
        #expect {
            _ = try configuration.listenEndpoint(override: nil, environment: ["MONITOR_TOKEN": ""])
        } throws: { error in
            "\(error)".contains("MONITOR_TOKEN") && "\(error)".contains("not set")
        }
    }

    @Test(arguments: ["9180", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:70000", ":9180", "[::1", "a b:1"])
    func anAddressWithoutAUsablePortIsAProblem(address: String) {
        let problems = PipelineConfiguration(listen: address).problems().map(\.description)
        #expect(problems.contains { $0.hasPrefix("listen is \(address); expected an address and port") }, "\(problems)")
    }

    @Test func theOverrideWinsOverTheConfiguration() throws {
        let configuration = PipelineConfiguration(listen: "127.0.0.1:9180")
        let endpoint = try configuration.listenEndpoint(override: "127.0.0.1:9999", environment: [:])
        #expect(endpoint?.port == 9999)
        #expect(try PipelineConfiguration().listenEndpoint(override: nil, environment: [:]) == nil)
    }
}
