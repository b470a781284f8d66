import BulkChange
import CSV
import Testing

/// The hand-written JSON reader under JSON bulk changes: every value JSON has, and a position
/// for everything that is not JSON. Each case is also fed byte by byte and in odd chunks.
@Suite("JSON syntax")
struct JSONSyntaxTests {
    static let iccid = Sample.iccid

    /// Reads `bytes` whole and in chunks of 1, 3 and 7 bytes, checks all agree, and returns it.
    static func read(_ bytes: [UInt8], name: String = "archival_x.json") throws(InputFileError) -> InputFile {
        let whole = try InputFile.read(json: bytes, fileName: name)
        for chunkSize in [1, 3, 7] {
            let chunked = try InputFile.read(json: MemoryByteSource(bytes, chunkSize: chunkSize), fileName: name)
            #expect(chunked == whole, "chunks of \(chunkSize)")
        }
        return whole
    }

    /// The error reading `bytes` gives (the same whole and in chunks), or `nil`.
    static func error(_ bytes: [UInt8], name: String = "archival_x.json") -> InputFileError? {
        let whole = readError { () throws(InputFileError) in try InputFile.read(json: bytes, fileName: name) }
        for chunkSize in [1, 3, 7] {
            let chunked = readError { () throws(InputFileError) in
                try InputFile.read(json: MemoryByteSource(bytes, chunkSize: chunkSize), fileName: name)
            }
            #expect(chunked == whole, "chunks of \(chunkSize)")
        }
        return whole
    }

    static func error(_ text: String) -> String? {
        error(Array(text.utf8))?.description
    }

    /// A file whose one device has `reason` written as `json`.
    static func reason(_ json: String) throws -> String? {
        let text = #"{"devices": [{"iccid": "\#(iccid)", "reason": \#(json)}]}"#
        return try read(Array(text.utf8)).rows.first?.fields["reason"]
    }

    @Test(arguments: [
        (#""a\"b""#, "a\"b"), (#""a\\b""#, "a\\b"), (#""a\/b""#, "a/b"),
        (#""a\bb\fc\nd\re\tf""#, "a\u{8}b\u{C}c\nd\re\tf"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"), (#""x\uD83D\uDE00y""#, "x😀y"), (#""x\ud83d\ude00y""#, "x😀y"),
        ("\"Zoë 🙂\"", "Zoë 🙂"), (#""a\u0000b""#, "a\u{0}b"), (#""  spaced  ""#, "spaced"),
        ("365", "365"), ("5e2", "500"), ("1.5E1", "15"), ("1.25", "1.25"), ("1e-3", "0.001"), ("-0", "-0"),
        ("12345678901234567890", "12345678901234567890"), ("true", "true"), ("false", "false"),
    ])
    func values(json: String, text: String) throws {
        #expect(try Self.reason(json) == text)
    }

    @Test func nullAndNestedValues() throws {
        #expect(try Self.reason("null") == nil)
        let text = #"{"devices": [{"iccid": "\#(Self.iccid)", "reason": {"a": [1, {"b": null}], "c": "}"}}]}"#
        let file = try Self.read(Array(text.utf8))
        #expect(
            file.rows.first?.problem?.description
                == "reason: is a JSON array or object; give a string, a number or true/false")
    }

    @Test(arguments: [
        ("", "1:1: expected a JSON value (a bulk change is an object: {…}), found the end of the file"),
        ("   \n", "2:1: expected a JSON value (a bulk change is an object: {…}), found the end of the file"),
        (
            "hello",
            "1:1: expected a JSON value (a bulk change is an object: {…}), found 'hello' (text goes in double quotes)"
        ),
        (#"{"devices": [{"iccid": "1""#, "1:27: expected ',' or '}' after a value, found the end of the file"),
        (#"{"changeType": "archi"#, "1:16: unterminated string started here; add the closing quote (\")"),
        (
            "{\"changeType\": \"archival\"\n  \"devices\": []}",
            "2:3: expected ',' or '}' after a value, found the string \"devices\""
        ),
        ("{\r\n\"devices\": [],\r\n}", "3:1: expected a key after ',' (remove the ',' before '}'), found '}'"),
        (#"{"devices": [{},]}"#, "1:17: expected a value after ',' (remove the ',' before ']'), found ']'"),
        (
            #"{devices: []}"#,
            "1:2: expected a key in double quotes, or '}', found 'devices' (text goes in double quotes)"
        ),
        (#"{'devices': []}"#, "1:2: expected a key in double quotes, or '}', found '''"),
        (#"{"devices" []}"#, "1:12: expected ':' after the key, found '['"),
        (#"{"devices": [tru]}"#, "1:14: expected a value or ']', found 'tru' (text goes in double quotes)"),
        (
            #"{"devices": [01]}"#,
            "1:14: \"01\" is not a JSON number; write digits with an optional '-', '.' and exponent (12, -3.5, 1e6), no leading zeros, or put the value in quotes"
        ),
        (
            #"{"devices": [1.]}"#,
            "1:14: \"1.\" is not a JSON number; write digits with an optional '-', '.' and exponent (12, -3.5, 1e6), no leading zeros, or put the value in quotes"
        ),
        (
            #"{"devices": [-]}"#,
            "1:14: \"-\" is not a JSON number; write digits with an optional '-', '.' and exponent (12, -3.5, 1e6), no leading zeros, or put the value in quotes"
        ),
        (#"{"devices": [+1]}"#, "1:14: expected a value or ']', found '+'"),
        (#"{"devices": [.5]}"#, "1:14: expected a value or ']', found '.'"),
        (
            #"{"devices": ["a\x"]}"#,
            "1:16: \"\\x\" is not a JSON escape; use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX (a backslash itself is \\\\)"
        ),
        (
            #"{"devices": ["\u12G4"]}"#,
            "1:15: \"\\u12G\" is not a JSON escape; use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX (a backslash itself is \\\\)"
        ),
        (
            #"{"devices": ["\uD83D"]}"#,
            "1:15: \\uD83D is half of a UTF-16 surrogate pair without its other half; write the pair (\\uD83D\\uDE00) or the character itself"
        ),
        (
            #"{"devices": ["\uD83Dx"]}"#,
            "1:15: \\uD83D is half of a UTF-16 surrogate pair without its other half; write the pair (\\uD83D\\uDE00) or the character itself"
        ),
        (
            #"{"devices": ["\uDE00"]}"#,
            "1:15: \\uDE00 is half of a UTF-16 surrogate pair without its other half; write the pair (\\uD83D\\uDE00) or the character itself"
        ),
        (
            #"{"devices": ["\uD83D\u0041"]}"#,
            "1:15: \\uD83D is half of a UTF-16 surrogate pair without its other half; write the pair (\\uD83D\\uDE00) or the character itself"
        ),
        (
            "{\"devices\": [\"two\nlines\"]}",
            "1:18: a line break inside a string; write it as \\n, or close the string (\") before it"
        ),
        (
            "{\"devices\": [\"a\tb\"]}",
            "1:16: a tab inside a string; write it as \\t, or close the string (\") before it"
        ),
        (
            "{\"devices\": [\"a\u{1}b\"]}",
            "1:16: control character U+0001 inside a string; write it as \\u0001, or close the string (\") before it"
        ),
        (
            #"{"devices": []} x"#,
            "1:17: expected the end of the file after the JSON value, found 'x' (text goes in double quotes)"
        ),
        (#"{"devices": []}{}"#, "1:16: expected the end of the file after the JSON value, found '{'"),
        (#"{"devices": [], "a": é}"#, "1:22: expected a value after ':', found the byte 0xC3"),
    ])
    func syntaxErrorsSayWhere(text: String, expected: String) {
        #expect(Self.error(text) == "archival_x.json:\(expected)")
    }

    @Test func bytesThatAreNotUTF8InAString() {
        let bytes = Array(#"{"devices": [{"reason": "caf"#.utf8) + [0xE9] + Array(#""}]}"#.utf8)
        #expect(
            Self.error(bytes)?.description
                == "archival_x.json:1:25: the string starting here is not UTF-8; save the file as UTF-8")
    }

    @Test func deepNestingStopsAtTheLimit() {
        let text =
            #"{"devices": [{"reason": "# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
            + "}]}"
        // The top level, devices and a device are 3 levels; the 62nd "[" inside makes 65.
        #expect(
            Self.error(text)
                == "archival_x.json:1:86: objects and arrays nest more than 64 levels deep here; a bulk change needs 3 "
                + "(the file, \"devices\", a device)")
        let fine =
            #"{"devices": [{"iccid": "\#(Self.iccid)", "reason": "# + String(repeating: "[", count: 61)
            + String(repeating: "]", count: 61) + "}]}"
        #expect(Self.error(fine) == nil)
    }

    @Test func aRunawayStringStopsAtTheCap() {
        let text = #"{"devices": [{"reason": ""# + String(repeating: "x", count: CSVReadOptions.defaultMaxFieldSize + 1)
        let error = readError { () throws(InputFileError) in
            try InputFile.read(json: Array(text.utf8), fileName: "archival_x.json")
        }
        #expect(
            error?.description
                == "archival_x.json:1:25: the value starting here is longer than 1,048,576 bytes; "
                + "look for a quote (\") that is never closed")
    }

    @Test(arguments: [false, true])
    func utf16IsRefusedNamingIt(bigEndian: Bool) {
        let text = #"{"devices": []}"#
        let units = text.utf16.flatMap { unit in
            bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        let expected =
            "archival_x.json:1:1: the file is UTF-16 (\(bigEndian ? "big" : "little")-endian), not UTF-8; "
            + "save it as UTF-8"
        #expect(Self.error(units)?.description == expected)
        #expect(Self.error((bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) + units)?.description == expected)
    }

    @Test func positionsCountLinesAfterCRLFAndLoneCR() {
        #expect(
            Self.error("{\r\n\r\n  \"devices\": [] x")
                == "archival_x.json:3:17: expected ',' or '}' after a value, found 'x' (text goes in double quotes)")
        #expect(
            Self.error("{\r\r  \"devices\": [] x")
                == "archival_x.json:3:17: expected ',' or '}' after a value, found 'x' (text goes in double quotes)")
        #expect(
            Self.error("{\n\n  \"devices\": [] x")
                == "archival_x.json:3:17: expected ',' or '}' after a value, found 'x' (text goes in double quotes)")
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let error = Self.error(bom + Array("{\"devices\": [] x".utf8))
        #expect(
            error?.description
                == "archival_x.json:1:16: expected ',' or '}' after a value, found 'x' (text goes in double quotes)")
        guard case .malformedJSON(_, let json) = error else {
            Issue.record("expected malformedJSON, got \(String(describing: error))")
            return
        }
        #expect(json.position == JSONPosition(line: 1, column: 16, byteOffset: 18))
    }
}
