import BulkChange
import Foundation
import HTTP
import JasperSim
import Testing

@testable import Jasper

@Suite("Jasper rules without I/O")
struct JasperPureTests {
    @Test func timestampsInBothForms() {
        let expected = Date(timeIntervalSince1970: 1_467_159_693.339)
        for text in ["2016-06-29 00:21:33.339+0000", "2016-06-29T00:21:33.339Z", "2016-06-29T00:21:33.339+00:00"] {
            let parsed = JasperTimestamp.parse(text)
            #expect(parsed.map { abs($0.timeIntervalSince(expected)) < 0.001 } == true, "\(text)")
        }
        #expect(JasperTimestamp.parse("2016-06-29") == Date(timeIntervalSince1970: 1_467_158_400))
        #expect(JasperTimestamp.parse("29/06/2016") == nil)
        #expect(JasperTimestamp.format(expected) == "2016-06-29T00:21:33.339Z")
    }

    @Test func timestampsAgreeWithFoundationAcrossCenturiesAndOffsets() throws {
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var seconds = -2_208_988_800.0  // 1900-01-01
        while seconds < 4_102_444_800 {  // 2100-01-01
            let date = Date(timeIntervalSince1970: seconds)
            let text = JasperTimestamp.format(date)
            #expect(text == reference.string(from: date), "\(seconds)")
            #expect(JasperTimestamp.parse(text).map { abs($0.timeIntervalSince(date)) < 0.001 } == true, "\(text)")
            seconds += 86_400 * 97.31 + 0.123
        }
        let offset = try #require(JasperTimestamp.parse("2016-06-29 02:21:33.339+0200"))
        #expect(JasperTimestamp.format(offset) == "2016-06-29T00:21:33.339Z")
        #expect(
            JasperTimestamp.format(try #require(JasperTimestamp.parse("2016-06-28T19:21:33-05:00")))
                == "2016-06-29T00:21:33.000Z")
        for bad in [
            "", "2016-13-01", "2016-06-29T25:00:00Z", "2016-06-29T00:21:33.Z", "2016-06-29T00:21:33+2", "x2016-06-29",
        ] {
            #expect(JasperTimestamp.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func errorCodeWinsOverStatus() {
        let throttled = HTTPResponse(
            status: 200, headers: ["Retry-After": "2"],
            body: Array(#"{"errorCode":"40000029","errorMessage":"Rate limit exceeded"}"#.utf8))
        #expect(
            JasperResponseClassifier.error(in: throttled, call: "GET /x")
                == .throttled(call: "GET /x", retryAfter: .seconds(2)))
        #expect(JasperResponseClassifier.error(in: HTTPResponse(status: 503), call: "c")?.isRetryable == true)
        #expect(
            JasperResponseClassifier.error(in: HTTPResponse(status: 429), call: "c")
                == .throttled(call: "c", retryAfter: nil))
        #expect(
            JasperResponseClassifier.error(in: HTTPResponse(status: 404), call: "c")
                == .notFound(call: "c", message: "HTTP 404"))
        #expect(JasperResponseClassifier.error(in: HTTPResponse(status: 200, body: Array("{}".utf8)), call: "c") == nil)
        let badRequest = HTTPResponse(status: 400, body: Array(#"{"errorCode":"10000024","errorMessage":"v"}"#.utf8))
        #expect(JasperResponseClassifier.error(in: badRequest, call: "c")?.isRetryable == false)
    }

    @Test func tlsFailureIsItsOwnErrorThatNoRetryCanFix() {
        let failure = HTTPClientError.tls(method: "GET", url: "https://cc.example/x", reason: "certificate has expired")
        let error = JasperResponseClassifier.error(from: failure, call: "GET /x")
        #expect(error == .tls(call: "GET /x", reason: "certificate has expired"))
        #expect(error.isRetryable == false)
        #expect(RetryPolicy(maxAttempts: 9).delay(after: error, attempt: 1, randomFraction: 1) == nil)
        #expect(
            error.description
                == "GET /x: cannot reach Control Center over TLS: certificate has expired; check the certificate "
                + "authorities this machine trusts (or the CA file configured for the client), the provider's "
                + "baseURL and Control Center's certificate (name, expiry, chain)")
    }

    @Test func aClientShutDownMidCallIsNeverRetried() {
        let error = JasperResponseClassifier.error(from: .shutDown, call: "PUT /devices/8901")
        #expect(error == .cancelled(call: "PUT /devices/8901"))
        #expect(RetryPolicy(maxAttempts: 9).delay(after: error, attempt: 1, randomFraction: 1) == nil)
    }

    @Test func retryPolicyBacksOffWithJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .milliseconds(350))
        let server = JasperError.serverError(call: "c", status: 500, code: "", message: "")
        #expect(policy.delay(after: server, attempt: 1, randomFraction: 1) == .milliseconds(100))
        #expect(policy.delay(after: server, attempt: 2, randomFraction: 1) == .milliseconds(200))
        #expect(policy.delay(after: server, attempt: 3, randomFraction: 1) == .milliseconds(350))
        #expect(policy.delay(after: server, attempt: 3, randomFraction: 0.5) == .milliseconds(175))
        #expect(policy.delay(after: server, attempt: 4, randomFraction: 1) == nil)
        #expect(policy.delay(after: .notFound(call: "c", message: ""), attempt: 1, randomFraction: 1) == nil)
        let throttled = JasperError.throttled(call: "c", retryAfter: .milliseconds(250))
        #expect(policy.delay(after: throttled, attempt: 1, randomFraction: 0) == .milliseconds(250))
    }

    @Test func editEncodesOnlyWhatChanges() throws {
        let edit = DeviceEdit(
            status: .activated, accountCustom: [3: "cc-7"], effectiveDate: Date(timeIntervalSince1970: 1_467_158_400))
        let json = String(decoding: try JSONEncoder().encode(edit), as: UTF8.self)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(
            object == ["status": "ACTIVATED", "accountCustom3": "cc-7", "effectiveDate": "2016-06-29T00:00:00.000Z"])
        #expect(try JSONDecoder().decode(DeviceEdit.self, from: Data(json.utf8)) == edit)
    }

    @Test func statusRules() {
        #expect(
            SIMStatus.allCases.filter(\.isSettableByAccount) == [
                .activated, .activationReady, .deactivated, .inventory, .retired,
            ])
        #expect(!SIMStatus.retired.allowsTransition(to: .activated))
        #expect(SIMStatus.testReady.allowsTransition(to: .activated))
        #expect(!SIMStatus.activated.allowsTransition(to: .testReady))
    }
}

@Suite("Generated devices")
struct GeneratedDeviceTests {
    @Test func identifiersAreValidAndRepeatable() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let devices = GeneratedDevices.make(count: 50, seed: 9, accountId: "100", now: now)
        #expect(devices == GeneratedDevices.make(count: 50, seed: 9, accountId: "100", now: now))
        #expect(devices != GeneratedDevices.make(count: 50, seed: 10, accountId: "100", now: now))
        for simulated in devices {
            let iccid = simulated.device.iccid
            let imei = simulated.device.imei ?? ""
            #expect(iccid.count == 20 && iccid.allSatisfy(\.isNumber) && luhnValid(iccid), "\(iccid)")
            #expect(imei.count == 15 && imei.allSatisfy(\.isNumber) && luhnValid(imei), "\(imei)")
        }
        #expect(Set(devices.map(\.device.iccid)).count == 50)
    }

    private func luhnValid(_ digits: String) -> Bool {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            var value = character.wholeNumberValue ?? 0
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}
