import Jasper
import JasperSim
import Synchronization
import Testing

/// The simulator's `rateLimit`: calls per account per whole second of monotonic time, shared by
/// every user of the account. The second is moved by hand here, so no call straddles a real one.
@Suite("Simulator rate limit")
struct SimulatorRateLimitTests {
    @Test func limitIsPerAccountAndPerSecond() async throws {
        let users = [
            SimulatorUser.demo, SimulatorUser(username: "demo-2", apiKey: "demo-2-key", accountId: "100"),
            SimulatorUser(username: "other", apiKey: "other-key", accountId: "200"),
        ]
        let second = Atomic<Int64>(7)
        let fixture = try SimulatorFixture(
            configuration: SimulatorConfiguration(users: users, rateLimit: 3),
            rateWindow: { second.load(ordering: .relaxed) })
        defer { fixture.shutdown() }
        let demo = fixture.client(retry: .never)
        let sameAccount = fixture.client(username: "demo-2", apiKey: "demo-2-key", retry: .never)
        let otherAccount = fixture.client(username: "other", apiKey: "other-key", retry: .never)

        _ = try await demo.echo("1")
        _ = try await sameAccount.echo("2")
        _ = try await demo.echo("3")
        for client in [demo, sameAccount] {
            await #expect(throws: JasperError.throttled(call: "GET /echo/4", retryAfter: nil)) {
                try await client.echo("4")
            }
        }
        for index in 1...3 { _ = try await otherAccount.echo("\(index)") }
        await #expect(throws: JasperError.throttled(call: "GET /echo/4", retryAfter: nil)) {
            try await otherAccount.echo("4")
        }
        #expect(fixture.simulator.counters.throttledCalls == 3)

        second.store(8, ordering: .relaxed)
        for index in 1...3 { _ = try await demo.echo("\(index)") }
        _ = try await otherAccount.echo("again")
        #expect(fixture.simulator.counters.throttledCalls == 3, "a new second, a new allowance")
        #expect(fixture.simulator.counters.calls["GET /echo/{text}"] == ["200": 10, "429": 3])
    }
}
