import Store
import Testing

@Suite("SecretScrubber")
struct SecretScrubberTests {
    @Test(arguments: [
        (
            "header", "PUT /devices/1 HTTP/1.1\r\nAuthorization: Basic dXNlcjprZXk=\r\nAccept: application/json\r\n",
            "PUT /devices/1 HTTP/1.1\r\nAuthorization: <redacted>\r\nAccept: application/json\r\n"
        ),
        (
            "lower-case and proxy headers", "authorization: Bearer abc.def\nProxy-Authorization: Basic Zm9vOmJhcg==\n",
            "authorization: <redacted>\nProxy-Authorization: <redacted>\n"
        ),
        ("api key header", "X-Api-Key: 0123456789abcdef", "X-Api-Key: <redacted>"),
        (
            "basic credentials in prose", "curl sent Basic dXNlcjprZXk= to the server",
            "curl sent Basic <redacted> to the server"
        ),
        ("bearer in a JSON string", #"{"header": "Bearer eyJhbGciOi.J9.sig"}"#, #"{"header": "Bearer <redacted>"}"#),
        (
            "JSON string values", #"{"username":"api-user","apiKey":"s3cr3t","status":"ACTIVATED"}"#,
            #"{"username":"api-user","apiKey":"<redacted>","status":"ACTIVATED"}"#
        ),
        (
            "key names in any case and spelling",
            #"{"API_KEY": "a", "Password" : "b", "client_secret":"c", "accessToken": "d"}"#,
            #"{"API_KEY": "<redacted>", "Password" : "<redacted>", "client_secret":"<redacted>", "accessToken": "<redacted>"}"#
        ),
        (
            "escaped quotes inside a secret", #"{"password": "pa\"ss", "iccid": "8901"}"#,
            #"{"password": "<redacted>", "iccid": "8901"}"#
        ),
        ("scalar values", #"{"token": 12345, "secret": true}"#, #"{"token": "<redacted>", "secret": "<redacted>"}"#),
        (
            "nested objects", #"{"auth": {"password": "p"}, "tokens": ["a"]}"#,
            #"{"auth": {"password": "<redacted>"}, "tokens": ["a"]}"#
        ),
        (
            "secret-like words as values stay", #"{"description": "token", "note": "password reset"}"#,
            #"{"description": "token", "note": "password reset"}"#
        ),
        (
            "nothing to scrub", "GET /devices/8901260000000000001 → 200 {\"status\":\"ACTIVATED\"}",
            "GET /devices/8901260000000000001 → 200 {\"status\":\"ACTIVATED\"}"
        ),
        (
            "ordinary words stay", "Basic checks failed: basic plan, Bearer information",
            "Basic checks failed: basic plan, Bearer information"
        ),
        ("unterminated JSON", #"{"apiKey": "abc"#, #"{"apiKey": "<redacted>""#),
        ("empty", "", ""),
    ])
    func scrubs(name: String, input: String, expected: String) {
        #expect(SecretScrubber.scrub(input) == expected, "\(name)")
    }
}
