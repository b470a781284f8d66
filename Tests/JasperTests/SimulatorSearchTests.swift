import Foundation
import HTTP
import Jasper
import JasperSim
import Testing

/// Search Devices (`GET /devices?modifiedSince=…`), the bulk confirmation: what it lists, how it
/// pages, and that `dateUpdated` moves only when a change really lands.
@Suite("Simulator Search Devices")
struct SimulatorSearchTests {
    /// 120 devices last updated a day before the fixture's clock.
    static func devices(_ clock: ManualClock) -> [SimulatedDevice] {
        GeneratedDevices.make(count: 120, seed: 4, accountId: "100", now: clock.now).map { simulated in
            var simulated = simulated
            simulated.device.dateUpdated = JasperTimestamp.format(clock.now.addingTimeInterval(-86_400))
            return simulated
        }
    }

    /// The raw answer of one Search Devices call, with the query exactly as given.
    static func search(_ fixture: SimulatorFixture, _ query: String) async throws -> (status: Int, body: SearchPage?) {
        let auth = "Basic " + Data("demo:\(SimulatorFixture.apiKey)".utf8).base64EncodedString()
        let response = try await fixture.http.send(
            HTTPRequest(
                method: "GET", target: fixture.running.baseURL + "/devices?" + query, headers: ["Authorization": auth]))
        guard response.status == 200 else { return (response.status, nil) }
        return (response.status, try JSONDecoder().decode(SearchPage.self, from: Data(response.body)))
    }

    struct SearchPage: Decodable {
        var devices: [DeviceSummary]
        var pageNumber: Int
        var lastPage: Bool
    }

    @Test func listsTheDevicesUpdatedSinceInPagesOf50SortedByICCID() async throws {
        let fixture = try SimulatorFixture(devices: Self.devices(ManualClock()))
        defer { fixture.shutdown() }
        let client = fixture.client()
        fixture.clock.advance(seconds: 3_600)
        let since = fixture.clock.now
        let edited = Array(fixture.simulator.iccids.reversed().prefix(60))
        for iccid in edited { _ = try await client.editDevice(iccid, DeviceEdit(status: .retired)) }

        let stamp = PercentEncoding.encode(JasperTimestamp.format(since))
        var pages: [SearchPage] = []
        for number in 1...3 {
            let (status, page) = try await Self.search(
                fixture, "modifiedSince=\(stamp)&pageSize=50&pageNumber=\(number)")
            #expect(status == 200)
            pages.append(try #require(page))
        }
        #expect(pages.map(\.devices.count) == [50, 10, 0])
        #expect(pages.map(\.lastPage) == [false, true, true])
        #expect(pages.map(\.pageNumber) == [1, 2, 3])
        let listed = pages.flatMap(\.devices)
        #expect(listed.map(\.iccid) == edited.sorted(), "only the edited ones, in ICCID order")
        for summary in listed {
            let device = try #require(fixture.simulator.deviceState(summary.iccid)?.device.device)
            #expect(
                summary
                    == DeviceSummary(
                        iccid: device.iccid, status: "RETIRED", ratePlan: device.ratePlan,
                        communicationPlan: device.communicationPlan))
        }
        #expect(try await client.modifiedDevices(since: since).map(\.iccid) == edited.sorted())
        #expect(try await client.modifiedDevices(since: since.addingTimeInterval(0.001)).isEmpty)
        let lastDayBefore = since.addingTimeInterval(-3_600 - 86_400)  // when the others were last updated
        #expect(try await client.modifiedDevices(since: lastDayBefore).count == 120)
        #expect(try await client.modifiedDevices(since: lastDayBefore.addingTimeInterval(0.001)).count == 60)
    }

    @Test func pagingLimitsAreEnforced() async throws {
        let fixture = try SimulatorFixture(devices: Self.devices(ManualClock()))
        defer { fixture.shutdown() }
        let since = "modifiedSince=2020-01-01T00:00:00Z"
        #expect(try await Self.search(fixture, since + "&pageSize=51").status == 400)
        #expect(try await Self.search(fixture, since + "&pageSize=0").status == 400)
        #expect(try await Self.search(fixture, since + "&pageNumber=0").status == 400)
        #expect(try await Self.search(fixture, since + "&pageNumber=x").status == 400)
        #expect(try await Self.search(fixture, "pageSize=10").status == 400, "modifiedSince is required")
        let small = try #require(try await Self.search(fixture, since + "&pageSize=7&pageNumber=2").body)
        #expect(small.devices.map(\.iccid) == Array(fixture.simulator.iccids[7..<14]))
        let whole = try #require(try await Self.search(fixture, since).body)
        #expect(whole.devices.count == 50, "50 a page when pageSize is not given")
    }

    @Test func bothTimestampFormsAreReadInModifiedSince() async throws {
        let fixture = try SimulatorFixture(devices: Self.devices(ManualClock()))
        defer { fixture.shutdown() }
        let client = fixture.client()
        fixture.clock.advance(seconds: 3_600.5)
        let iccid = fixture.firstICCID
        _ = try await client.editDevice(iccid, DeviceEdit(deviceID: "stamped"))
        let exactly = fixture.clock.now  // the device's dateUpdated: at or after it is listed
        let spaced = DateFormatter()
        spaced.locale = Locale(identifier: "en_US_POSIX")
        spaced.timeZone = TimeZone(identifier: "UTC")
        spaced.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSZ"
        let controlCenterForm = spaced.string(from: exactly)
        #expect(controlCenterForm.hasSuffix(".500+0000"))
        let queries = [
            PercentEncoding.encode(controlCenterForm),  // 2026-…-… 01:00:00.500+0000, escaped
            controlCenterForm.replacingOccurrences(of: " ", with: "%20"),  // `+` unescaped: a space once decoded
            PercentEncoding.encode(JasperTimestamp.format(exactly)),  // 2026-…T01:00:00.500Z
            JasperTimestamp.format(exactly),
        ]
        for query in queries {
            let (status, page) = try await Self.search(fixture, "modifiedSince=\(query)")
            #expect(status == 200, "\(query)")
            #expect(page?.devices.map(\.iccid) == [iccid], "\(query)")
        }
        #expect(try await Self.search(fixture, "modifiedSince=yesterday").status == 400)
    }

    @Test func dateUpdatedMovesOnlyWhenAChangeLands() async throws {
        let fixture = try SimulatorFixture(devices: Self.devices(ManualClock()))
        defer { fixture.shutdown() }
        let client = fixture.client()
        let iccids = fixture.simulator.iccids
        let (ignored, sameValue, changed) = (iccids[0], iccids[1], iccids[2])
        let before = try #require(fixture.simulator.deviceState(sameValue))
        fixture.simulator.setFaults(SimulatorFaults(deviceFaults: [ignored: DeviceFault(.ignore)]))
        fixture.clock.advance(seconds: 60)
        let since = fixture.clock.now
        _ = try await client.editDevice(ignored, DeviceEdit(deviceID: "ignored"))
        _ = try await client.editDevice(sameValue, DeviceEdit(deviceID: before.device.device.deviceID))
        _ = try await client.editDevice(changed, DeviceEdit(deviceID: "changed"))
        #expect(try await client.modifiedDevices(since: since).map(\.iccid) == [changed])
        #expect(fixture.simulator.deviceState(sameValue) == before, "no audit entry, the same dateUpdated")
        #expect(try await client.device(changed).dateUpdated == JasperTimestamp.format(since))
        #expect(try await client.device(ignored).dateUpdated == before.device.device.dateUpdated)
    }
}
