import Testing

@testable import HTTP

/// Feeds `input` to `parser` in pieces of `chunkSize` bytes and collects the requests and the error it produces.
///
/// `.sendContinue` is left out, as whether it comes depends on where the pieces end.
func parseEvents(
    _ input: [UInt8], chunkSize: Int, parser: HTTPRequestParser = HTTPRequestParser()
) -> [HTTPRequestParser.Event] {
    var parser = parser
    var events: [HTTPRequestParser.Event] = []
    var offset = 0
    while offset < input.count {
        let end = min(input.count, offset + chunkSize)
        parser.feed(input[offset..<end])
        offset = end
        while true {
            let event = parser.next()
            switch event {
            case .needMore: break
            case .sendContinue: continue
            case .request: events.append(event); continue
            case .error: events.append(event); return events
            }
            break
        }
    }
    return events
}

/// The whole input at once, byte by byte, and odd-sized pieces, so every buffer boundary is crossed.
let parserChunkSizes = [Int.max, 1, 2, 3, 7, 64]

private func get(_ target: String, _ headers: HTTPHeaders = [:], keepAlive: Bool = true) -> HTTPRequestParser.Event {
    .request(HTTPRequest(method: "GET", target: target, headers: headers), keepAlive: keepAlive)
}

private func request(
    _ method: String, _ target: String, _ headers: HTTPHeaders, body: String, keepAlive: Bool = true
) -> HTTPRequestParser.Event {
    .request(
        HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)), keepAlive: keepAlive)
}

@Suite("HTTPRequestParser")
struct ServerRequestParserTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let expected: [HTTPRequestParser.Event]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "simple GET", input: "GET /devices?iccid=8901 HTTP/1.1\r\nHost: jasper\r\nAccept: */*\r\n\r\n",
            expected: [get("/devices?iccid=8901", ["Host": "jasper", "Accept": "*/*"])]),
        Case(
            name: "PUT with body",
            input: "PUT /devices/8901 HTTP/1.1\r\nContent-Length: 17\r\nContent-Type: application/json\r\n\r\n"
                + "{\"status\":\"ok\"}\r\n",
            expected: [
                request(
                    "PUT", "/devices/8901", ["Content-Length": "17", "Content-Type": "application/json"],
                    body: "{\"status\":\"ok\"}\r\n")
            ]),
        Case(
            name: "header names in any case",
            input: "POST /x HTTP/1.1\r\ncontent-LENGTH: 3\r\nCONNECTION: Close\r\n\r\nabc",
            expected: [
                request("POST", "/x", ["content-LENGTH": "3", "CONNECTION": "Close"], body: "abc", keepAlive: false)
            ]),
        Case(
            name: "values trimmed, order and duplicates kept",
            input: "GET / HTTP/1.1\r\nX-A: \t one \r\nX-B:two\r\nX-A: three\r\nX-Empty:\r\n\r\n",
            expected: [get("/", ["X-A": "one", "X-B": "two", "X-A": "three", "X-Empty": ""])]),
        Case(
            name: "pipelined requests",
            input: "GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /3 HTTP/1.1\r\n\r\n",
            expected: [get("/1"), request("POST", "/2", ["Content-Length": "5"], body: "hello"), get("/3")]),
        Case(
            name: "empty body, then the next request",
            input: "DELETE /a HTTP/1.1\r\nContent-Length: 0\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
            expected: [request("DELETE", "/a", ["Content-Length": "0"], body: ""), get("/b")]),
        Case(
            name: "empty lines before a request are skipped",
            input: "\r\n\r\nGET / HTTP/1.1\r\n\r\n\nGET /2 HTTP/1.1\r\n\r\n",
            expected: [get("/"), get("/2")]),
        Case(
            name: "bare line feeds",
            input: "GET /lf HTTP/1.1\nHost: a\n\nGET /mixed HTTP/1.1\r\nHost: b\n\r\n",
            expected: [get("/lf", ["Host": "a"]), get("/mixed", ["Host": "b"])]),
        Case(
            name: "identical Content-Length values",
            input: "PUT / HTTP/1.1\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nokGET / HTTP/1.1\r\n\r\n",
            expected: [request("PUT", "/", ["Content-Length": "2, 2", "Content-Length": "2"], body: "ok"), get("/")]),
        Case(
            name: "HTTP/1.0 closes unless asked to keep alive",
            input: "GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
            expected: [get("/a", keepAlive: false), get("/b", ["Connection": "Keep-Alive"])]),
        Case(
            name: "Connection: close among other options",
            input: "GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n",
            expected: [get("/", ["Connection": "upgrade, close"], keepAlive: false)]),
        Case(
            name: "a request, then garbage",
            input: "GET / HTTP/1.1\r\n\r\nHELLO\r\n\r\nGET / HTTP/1.1\r\n\r\n",
            expected: [get("/"), .error(.malformedRequestLine)]),
        Case(name: "no version", input: "GET /\r\n\r\n", expected: [.error(.malformedRequestLine)]),
        Case(name: "two spaces", input: "GET  / HTTP/1.1\r\n\r\n", expected: [.error(.malformedRequestLine)]),
        Case(name: "extra word", input: "GET / HTTP/1.1 x\r\n\r\n", expected: [.error(.malformedRequestLine)]),
        Case(name: "control in method", input: "G\u{1}T / HTTP/1.1\r\n\r\n", expected: [.error(.malformedRequestLine)]),
        Case(name: "not HTTP", input: "GET / HTTX/1.1\r\n\r\n", expected: [.error(.malformedRequestLine)]),
        Case(name: "CR inside the line", input: "GET /\ra HTTP/1.1\r\n\r\n", expected: [.error(.malformedRequestLine)]),
        Case(name: "HTTP/2.0", input: "GET / HTTP/2.0\r\n\r\n", expected: [.error(.unsupportedVersion("HTTP/2.0"))]),
        Case(
            name: "header without colon", input: "GET / HTTP/1.1\r\nHost a\r\n\r\n",
            expected: [.error(.malformedHeader(line: 2))]),
        Case(
            name: "space before colon", input: "GET / HTTP/1.1\r\nA: 1\r\nHost : a\r\n\r\n",
            expected: [.error(.malformedHeader(line: 3))]),
        Case(
            name: "folded header line", input: "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
            expected: [.error(.malformedHeader(line: 3))]),
        Case(
            name: "control in value", input: "GET / HTTP/1.1\r\nX: a\u{0}b\r\n\r\n",
            expected: [.error(.malformedHeader(line: 2))]),
        Case(
            name: "chunked body refused",
            input: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            expected: [.error(.chunkedBody)]),
        Case(
            name: "chunked wins over Content-Length",
            input: "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n\r\nhello",
            expected: [.error(.chunkedBody)]),
        Case(
            name: "other transfer coding", input: "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            expected: [.error(.unsupportedTransferEncoding("gzip"))]),
        Case(
            name: "Content-Length not a number", input: "PUT / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n",
            expected: [.error(.invalidContentLength)]),
        Case(
            name: "negative Content-Length", input: "PUT / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            expected: [.error(.invalidContentLength)]),
        Case(
            name: "empty Content-Length", input: "PUT / HTTP/1.1\r\nContent-Length:\r\n\r\n",
            expected: [.error(.invalidContentLength)]),
        Case(
            name: "Content-Length values disagree",
            input: "PUT / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            expected: [.error(.invalidContentLength)]),
        Case(
            name: "body larger than 16 MiB", input: "PUT / HTTP/1.1\r\nContent-Length: 16777217\r\n\r\n",
            expected: [.error(.bodyTooLarge(length: 16_777_217, limit: 16_777_216))]),
        Case(
            name: "Content-Length beyond Int", input: "PUT / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
            expected: [.error(.bodyTooLarge(length: .max, limit: 16_777_216))]),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) {
        for chunkSize in parserChunkSizes {
            let events = parseEvents(Array(testCase.input.utf8), chunkSize: chunkSize)
            #expect(events == testCase.expected, "fed in pieces of \(chunkSize) bytes")
        }
    }

    @Test func headerLookUpIgnoresCase() throws {
        let events = parseEvents(Array("GET / HTTP/1.1\r\ncontent-type: text/csv\r\n\r\n".utf8), chunkSize: .max)
        guard case .request(let request, _) = try #require(events.first) else {
            Issue.record("no request in \(events)")
            return
        }
        #expect(request.headers["Content-Type"] == "text/csv")
        #expect(request.headers["CONTENT-TYPE"] == "text/csv")
    }

    @Test func bodySplitAcrossFeedsWaitsForTheLastByte() {
        var parser = HTTPRequestParser()
        parser.feed(Array("PUT /f HTTP/1.1\r\nContent-Length: 6\r\n\r\nabc".utf8))
        #expect(parser.next() == .needMore)
        parser.feed(Array("de".utf8))
        #expect(parser.next() == .needMore)
        parser.feed(Array("fGET".utf8))
        #expect(parser.next() == request("PUT", "/f", ["Content-Length": "6"], body: "abcdef"))
        #expect(parser.next() == .needMore)
        #expect(parser.bufferedCount == 3)
    }

    @Test func headAtTheLimitPassesAndOneByteMoreFails() {
        let requestLine = "GET / HTTP/1.1\r\nX: "
        let limit = HTTPServer.Limits.maxHeadBytes
        let filler = String(repeating: "a", count: limit - requestLine.utf8.count - 4)
        let atLimit = Array((requestLine + filler + "\r\n\r\n").utf8)
        #expect(atLimit.count == limit)
        let over = Array((requestLine + filler + "a\r\n\r\n").utf8)
        for chunkSize in [Int.max, 1, 1000] {
            #expect(parseEvents(atLimit, chunkSize: chunkSize).count == 1)
            #expect(parseEvents(over, chunkSize: chunkSize) == [.error(.headTooLarge(limit: limit))])
        }
    }

    @Test func headWithoutEndFailsOnceItPassesTheLimit() {
        let parser = HTTPRequestParser(maxHeadBytes: 100, maxBodyBytes: 10)
        let endless = Array(("GET / HTTP/1.1\r\n" + String(repeating: "X: y\r\n", count: 30)).utf8)
        for chunkSize in parserChunkSizes {
            #expect(parseEvents(endless, chunkSize: chunkSize, parser: parser) == [.error(.headTooLarge(limit: 100))])
        }
        // Below the limit it is just incomplete.
        #expect(parseEvents(Array(endless.prefix(100)), chunkSize: 1, parser: parser).isEmpty)
    }

    @Test func bodyLimitIsInclusive() {
        let parser = HTTPRequestParser(maxHeadBytes: 1000, maxBodyBytes: 4)
        #expect(
            parseEvents(Array("PUT / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd".utf8), chunkSize: 1, parser: parser)
                == [request("PUT", "/", ["Content-Length": "4"], body: "abcd")])
        #expect(
            parseEvents(Array("PUT / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde".utf8), chunkSize: 1, parser: parser)
                == [.error(.bodyTooLarge(length: 5, limit: 4))])
    }

    @Test func errorRepeats() {
        var parser = HTTPRequestParser()
        parser.feed(Array("BAD\r\n\r\n".utf8))
        #expect(parser.next() == .error(.malformedRequestLine))
        parser.feed(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        #expect(parser.next() == .error(.malformedRequestLine))
    }

    @Test func expectContinueAsksForContinueOnlyBeforeTheBody() {
        func head(_ version: String) -> String {
            "PUT /up HTTP/\(version)\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n"
        }
        let expected = request("PUT", "/up", ["Expect": "100-Continue", "Content-Length": "2"], body: "ok")

        var waiting = HTTPRequestParser()
        waiting.feed(Array(head("1.1").utf8))
        #expect(waiting.next() == .sendContinue)
        #expect(waiting.next() == .needMore)
        waiting.feed(Array("ok".utf8))
        #expect(waiting.next() == expected)

        var eager = HTTPRequestParser()
        eager.feed(Array((head("1.1") + "ok").utf8))
        #expect(eager.next() == expected)

        var http10 = HTTPRequestParser()
        http10.feed(Array(head("1.0").utf8))
        #expect(http10.next() == .needMore)
    }

    @Test func errorStatuses() {
        #expect(HTTPRequestError.malformedRequestLine.status == 400)
        #expect(HTTPRequestError.malformedHeader(line: 2).status == 400)
        #expect(HTTPRequestError.invalidContentLength.status == 400)
        #expect(HTTPRequestError.chunkedBody.status == 411)
        #expect(HTTPRequestError.bodyTooLarge(length: 2, limit: 1).status == 413)
        #expect(HTTPRequestError.headTooLarge(limit: 1).status == 431)
        #expect(HTTPRequestError.unsupportedTransferEncoding("gzip").status == 501)
        #expect(HTTPRequestError.unsupportedVersion("HTTP/2.0").status == 505)
        #expect(
            HTTPRequestError.malformedHeader(line: 3).description
                == "line 3: malformed header field; expected name: value")
    }
}
