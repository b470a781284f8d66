import Foundation

/// A real HTTPS server for one test: Python's `http.server` behind TLS with a given certificate,
/// on 127.0.0.1 at a port the OS picked. Every `GET` is answered `200` with `{"echo": "<last path
/// segment>"}`, the shape of Control Center's echo call.
public final class HTTPSTestServer: Sendable {
    /// The port the OS gave the server on 127.0.0.1.
    public let port: Int
    private let child: ChildProcess

    /// Starts a server presenting `certificate`; its standard error goes to `folder/https.stderr`.
    public init(certificate: TestCertificate, in folder: URL) async throws {
        let script = folder.appendingPathComponent("https_server.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let errors = folder.appendingPathComponent("https.stderr")
        child = try ChildProcess(
            "/usr/bin/python3", [script.path, certificate.certificate.path, certificate.key.path], errorFile: errors)
        let ready = try await child.nextLine(waitingFor: "ready line")
        guard let ready, ready.hasPrefix("ready "), let port = Int(ready.dropFirst("ready ".count)) else {
            await child.stop()
            let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ServerFailed(line: ready, log: log)
        }
        self.port = port
    }

    /// The server printed something else than its port, or nothing.
    public struct ServerFailed: Error, CustomStringConvertible {
        public let line: String?
        public let log: String
        public var description: String { "the HTTPS test server did not start (\(line ?? "no output")): \(log)" }
    }

    /// `https://127.0.0.1:<port>`.
    public var baseURL: String { "https://127.0.0.1:\(port)" }

    public func stop() async { await child.stop() }

    /// Arguments: the certificate and key files. Prints `ready <port>`, serves until its standard
    /// input closes. A client that refuses the certificate only ends its own connection.
    static let script = #"""
        import http.server, json, ssl, sys, threading

        class Echo(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body = json.dumps({"echo": self.path.split("?")[0].rsplit("/", 1)[-1]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *arguments):
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print("ready", server.server_address[1], flush=True)
        sys.stdin.read()
        server.shutdown()
        """#
}
