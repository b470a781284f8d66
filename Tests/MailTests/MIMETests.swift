import Foundation
import TestSupport
import Testing

@testable import Mail

/// The encodings under the renderer: base64, quoted-printable, encoded words, folding, dates,
/// attachment names and content types.
@Suite struct MIMETests {
    @Test(arguments: [
        ("empty", "", ""), ("one byte", "f", "Zg=="), ("two bytes", "fo", "Zm8="), ("three bytes", "foo", "Zm9v"),
        ("six bytes", "foobar", "Zm9vYmFy"), ("non-ASCII", "Zürich", "WsO8cmljaA=="),
    ])
    func base64(name: String, input: String, expected: String) {
        #expect(MIME.base64(Array(input.utf8)) == Array(expected.utf8), "\(name)")
    }

    @Test func base64LinesAreAtMost76CharactersAndDecodeBack() throws {
        for count in [0, 1, 56, 57, 58, 114, 1000, 4096] {
            let data = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
            let encoded = String(decoding: MIME.base64Lines(data), as: UTF8.self)
            let lines = encoded.components(separatedBy: "\r\n")
            #expect(lines.dropLast().allSatisfy { $0.utf8.count == 76 }, "count \(count)")
            #expect(lines.last!.utf8.count <= 76)
            #expect(!encoded.contains("\n\n") && !encoded.hasSuffix("\r\n"))
            #expect(Array(try #require(Data(base64Encoded: lines.joined()))) == data)
        }
    }

    @Test(arguments: [
        ("plain", "abc", "abc\r\n"),
        ("equals sign", "a=b", "a=3Db\r\n"),
        ("trailing space", "end ", "end=20\r\n"),
        ("trailing tab", "end\t", "end=09\r\n"),
        ("inner spaces stay", "a b\tc", "a b\tc\r\n"),
        ("non-ASCII", "é", "=C3=A9\r\n"),
        ("LF becomes CRLF", "a\nb\n", "a\r\nb\r\n"),
        ("lone CR becomes CRLF", "a\rb", "a\r\nb\r\n"),
        ("CRLF stays", "a\r\n\r\nb", "a\r\n\r\nb\r\n"),
        ("lone dot stays for SMTP to stuff", "x\n.\ny", "x\r\n.\r\ny\r\n"),
        ("control character", "a\u{7}b", "a=07b\r\n"),
        ("empty", "", "\r\n"),
    ])
    func quotedPrintable(name: String, input: String, expected: String) {
        #expect(String(decoding: MIME.quotedPrintable(input), as: UTF8.self) == expected, "\(name)")
    }

    @Test func quotedPrintableSoftBreaksKeepLinesShortAndDecodeBack() {
        let inputs = [
            String(repeating: "x", count: 76), String(repeating: "x", count: 77), String(repeating: "é", count: 40),
            String(repeating: "ab= ", count: 50), String(repeating: "y", count: 75) + "=",
            String(repeating: " ", count: 90),
        ]
        for input in inputs {
            let encoded = MIME.quotedPrintable(input)
            let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 76 }, "\(input)")
            #expect(!lines.contains { $0.hasSuffix(" ") || $0.hasSuffix("\t") })
            #expect(MIMEDecoding.quotedPrintable(encoded) == Array((input + "\r\n").utf8))
        }
    }

    @Test(arguments: [
        ("short ASCII stays plain", "Bulk change failed", ["Subject: Bulk change failed"]),
        ("empty", "", ["Subject: "]),
        ("CR and LF become spaces", "a\r\nBcc: x@example.com", ["Subject: a  Bcc: x@example.com"]),
        (
            "long ASCII folds at spaces",
            "Bulk change 42 for tenant acme failed: 17 of 2000 rows were refused by Control Center today",
            [
                "Subject: Bulk change 42 for tenant acme failed: 17 of 2000 rows were refused",
                " by Control Center today",
            ]
        ),
        ("text that looks encoded gets encoded", "=?x?=", ["Subject: =?UTF-8?B?PT94Pz0=?="]),
    ])
    func subjectField(name: String, subject: String, lines: [String]) {
        #expect(MIME.unstructuredField("Subject", subject).components(separatedBy: "\r\n") == lines, "\(name)")
    }

    @Test func nonASCIISubjectsBecomeEncodedWordsOfWholeCharacters() throws {
        let subjects = [
            "Échec du lot 42", String(repeating: "Zürich ✓ ", count: 20), String(repeating: "🚨", count: 30),
            "tab\there", String(repeating: "x", count: 100), "e\u{301} combining",
        ]
        for subject in subjects {
            let field = MIME.unstructuredField("Subject", subject)
            let lines = field.components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(subject)")
            let words = field.dropFirst("Subject: ".count).split(whereSeparator: { $0 == " " || $0 == "\r\n" })
            #expect(words.allSatisfy { $0.utf8.count <= 75 })
            #expect(try #require(MIMEDecoding.encodedWords(String(field.dropFirst("Subject: ".count)))) == subject)
        }
    }

    @Test func foldingNeverBreaksBeforeAnEmptyWordNorAfterTheName() {
        let long = String(repeating: "x", count: 90)
        #expect(MIME.foldedField("To", words: [long]) == "To: \(long)")
        let field = MIME.foldedField("X", words: [String(repeating: "a", count: 74), "", "b"])
        #expect(field.components(separatedBy: "\r\n") == ["X: \(String(repeating: "a", count: 74)) ", " b"])
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        (1_795_770_000, "Fri, 27 Nov 2026 09:00:00 +0000"),
        (1_709_251_199.9, "Thu, 29 Feb 2024 23:59:59 +0000"),
        (951_825_600, "Tue, 29 Feb 2000 12:00:00 +0000"),
        (-1, "Wed, 31 Dec 1969 23:59:59 +0000"),
        (-2_203_891_200, "Thu, 01 Mar 1900 00:00:00 +0000"),
    ])
    func rfc5322Date(seconds: Double, expected: String) {
        #expect(MIME.rfc5322Date(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test(arguments: [
        ("ASCII", "a.csv", "Content-Disposition: attachment; filename=\"a.csv\"; filename*=UTF-8''a.csv"),
        (
            "non-ASCII and spaces", "Résumé 2026.csv",
            "Content-Disposition: attachment; filename=\"R_sum_ 2026.csv\";\r\n filename*=UTF-8''R%C3%A9sum%C3%A9%202026.csv"
        ),
        (
            "quotes, paths and line breaks", "a\"b\\c/d\r\nBcc: x.csv",
            "Content-Disposition: attachment; filename=\"a_b_c_d  Bcc_ x.csv\";\r\n filename*=UTF-8''a%22b_c_d%20%20Bcc%3A%20x.csv"
        ),
        ("empty", "", "Content-Disposition: attachment; filename=\"attachment\";\r\n filename*=UTF-8''attachment"),
    ])
    func attachmentDisposition(name: String, fileName: String, expected: String) {
        #expect(MIME.attachmentDisposition(fileName: fileName) == expected, "\(name)")
    }

    @Test func longFileNamesAreCutKeepingTheExtension() {
        let name = MIME.limitedFileName(String(repeating: "é", count: 100) + ".csv")
        #expect(name.utf8.count <= 120)
        #expect(name.hasSuffix("é.csv"))
        #expect(MIME.longestLine(MIME.attachmentDisposition(fileName: String(repeating: "ü", count: 500))) < 998)
    }

    @Test(arguments: [
        ("text/csv", "text/csv"), ("text/csv; charset=utf-8", "text/csv; charset=utf-8"),
        ("application/vnd.ms-excel", "application/vnd.ms-excel"), ("text/csv\r\nBcc: x", "application/octet-stream"),
        ("csv", "application/octet-stream"), ("text/", "application/octet-stream"), ("", "application/octet-stream"),
        ("text/csv; name=\"é\"", "application/octet-stream"),
    ])
    func contentType(input: String, expected: String) {
        #expect(MIME.safeContentType(input) == expected)
    }
}
