extension HTTPRequestParser {
    /// A parsed request line and header fields.
    struct Head: Equatable {
        var method: String
        var target: String
        /// The `y` of `HTTP/1.y`.
        var minorVersion: Int
        var headers: HTTPHeaders
    }

    /// How the body and the connection go, from the head.
    struct Framing: Equatable {
        var bodyLength: Int
        var keepAlive: Bool
        var expectsContinue: Bool
    }

    /// The bytes the parser looks for.
    enum ASCII {
        static let lineFeed = UInt8(ascii: "\n")
        static let carriageReturn = UInt8(ascii: "\r")
        static let space = UInt8(ascii: " ")
        static let tab = UInt8(ascii: "\t")
        static let colon = UInt8(ascii: ":")
    }

    /// Parses a head: the request line and header lines, each ended by `CRLF` (or a bare `LF`), then an empty line.
    static func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestError) -> Head {
        var lines = bytes.split(separator: ASCII.lineFeed, omittingEmptySubsequences: false).map { line in
            line.last == ASCII.carriageReturn ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first else { throw .malformedRequestLine }
        var head = try parseRequestLine(requestLine)
        for (offset, line) in lines.dropFirst().enumerated() {
            let (name, value) = try parseField(line, number: offset + 2)
            head.headers.add(name, value)
        }
        return head
    }

    /// `METHOD SP request-target SP HTTP-version`, with single spaces.
    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPRequestError) -> Head {
        let parts = line.split(separator: ASCII.space, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte), !parts[1].isEmpty,
            parts[1].allSatisfy({ 0x21...0x7E ~= $0 })
        else { throw .malformedRequestLine }
        let version = Array(parts[2])
        guard version.count == 8, version.starts(with: "HTTP/".utf8), isDigit(version[5]),
            version[6] == UInt8(ascii: "."), isDigit(version[7])
        else { throw .malformedRequestLine }
        guard version[5] == UInt8(ascii: "1") else {
            throw .unsupportedVersion(String(decoding: version, as: UTF8.self))
        }
        return Head(
            method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
            minorVersion: Int(version[7] - UInt8(ascii: "0")), headers: HTTPHeaders())
    }

    /// `name: value`, the value without surrounding spaces or tabs. A line that starts with white space (an
    /// obsolete folded line) fails, as its name is not a token.
    private static func parseField(
        _ line: ArraySlice<UInt8>, number: Int
    ) throws(HTTPRequestError) -> (String, String) {
        guard let colon = line.firstIndex(of: ASCII.colon), colon > line.startIndex,
            line[..<colon].allSatisfy(isTokenByte)
        else { throw .malformedHeader(line: number) }
        var value = line[(colon + 1)...]
        while let first = value.first, first == ASCII.space || first == ASCII.tab { value.removeFirst() }
        while let last = value.last, last == ASCII.space || last == ASCII.tab { value.removeLast() }
        // Field values may hold tabs, visible ASCII and (obsolete but seen) bytes above 0x7F; no other controls.
        guard value.allSatisfy({ $0 == ASCII.tab || ($0 >= 0x20 && $0 != 0x7F) }) else {
            throw .malformedHeader(line: number)
        }
        return (String(decoding: line[..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    fileprivate static func isDigit(_ byte: UInt8) -> Bool {
        UInt8(ascii: "0")...UInt8(ascii: "9") ~= byte
    }

    /// A `tchar` of RFC 9110: the characters of methods and header names.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension HTTPRequestParser.Head {
    /// The body length and whether the connection stays open, from `Content-Length`, `Transfer-Encoding`,
    /// `Connection` and `Expect`.
    ///
    /// - Throws: `.chunkedBody` or `.unsupportedTransferEncoding` for any transfer coding, `.invalidContentLength`,
    ///   and `.bodyTooLarge` before a byte of the body is read.
    func framing(maxBodyBytes: Int) throws(HTTPRequestError) -> HTTPRequestParser.Framing {
        var codings: [String] = []
        var lengths: [String] = []
        var connection: [String] = []
        for (name, value) in headers {
            if name.caseInsensitiveEquals("Transfer-Encoding") {
                codings += Self.list(value)
            } else if name.caseInsensitiveEquals("Content-Length") {
                lengths += Self.list(value, keepingEmpty: true)
            } else if name.caseInsensitiveEquals("Connection") {
                connection += Self.list(value)
            }
        }
        if !codings.isEmpty {
            throw codings.contains("chunked")
                ? .chunkedBody : .unsupportedTransferEncoding(codings.joined(separator: ", "))
        }
        var bodyLength = 0
        if let length = lengths.first {
            guard !length.isEmpty, length.utf8.allSatisfy(HTTPRequestParser.isDigit),
                lengths.allSatisfy({ $0 == length })
            else { throw .invalidContentLength }
            bodyLength = Int(length) ?? .max
            guard bodyLength <= maxBodyBytes else { throw .bodyTooLarge(length: bodyLength, limit: maxBodyBytes) }
        }
        let keepAlive =
            !connection.contains("close") && (minorVersion >= 1 || connection.contains("keep-alive"))
        let expectsContinue = minorVersion >= 1 && headers["Expect"]?.lowercased() == "100-continue"
        return HTTPRequestParser.Framing(bodyLength: bodyLength, keepAlive: keepAlive, expectsContinue: expectsContinue)
    }

    /// The elements of a comma-separated field value, trimmed and lowercased.
    private static func list(_ value: String, keepingEmpty: Bool = false) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: false).compactMap { element in
            var element = element
            while element.first == " " || element.first == "\t" { element.removeFirst() }
            while element.last == " " || element.last == "\t" { element.removeLast() }
            return element.isEmpty && !keepingEmpty ? nil : element.lowercased()
        }
    }
}
