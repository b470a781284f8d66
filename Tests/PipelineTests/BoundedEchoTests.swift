import Foundation
import Testing

@testable import Pipeline

/// A runaway value in a partner's file (a megabyte where an ICCID goes) is quoted cut in the
/// email, however large the file.
@Suite("bounded echo in emails")
struct BoundedEchoTests {
    @Test func theEmailQuotesAHugeICCIDCut() async throws {
        try await PipelineFixture.make().use { fixture in
            let huge = String(repeating: "1", count: 100_000)
            let path = try fixture.write(
                "status-update_huge.json",
                #"{"changeType": "status-update", "devices": [{"iccid": \#(huge), "target_status": "DEACTIVATED"}]}"#)
            let report = try await fixture.run(path)
            #expect(report.results.map(\.outcome) == [.rejected])
            let body = NotificationText.fileBody(report, name: "status-update_huge.json")
            #expect(body.count < 2_000, "the body is \(body.count) characters")
            #expect(body.contains("(100,000 characters, cut)"))
        }
    }
}
