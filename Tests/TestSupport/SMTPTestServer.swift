import Foundation
import Mail

/// A real SMTP server for one test: Debian's aiosmtpd run by `/usr/bin/python3` (not the pyenv
/// `python3` on PATH, which lacks the package), saving what it receives under `folder`.
public final class SMTPTestServer: Sendable {
    /// Where the server saves messages and its logs.
    public let folder: URL
    /// The port the OS gave the server on 127.0.0.1.
    public let port: Int
    private let child: ChildProcess

    /// What the server received for one message, as parsed by Python's `email` package.
    public struct Received: Decodable {
        public struct Part: Decodable {
            public let contentType: String
            public let charset: String?
            public let disposition: String?
            public let fileName: String?
            public let data: String

            public var bytes: [UInt8] { Array(Data(base64Encoded: data) ?? Data()) }
            public var text: String { String(decoding: bytes, as: UTF8.self) }
        }

        public let mailFrom: String
        public let recipients: [String]
        public let tls: Bool
        public let authenticated: Bool
        public let headerNames: [String]
        public let subject: String
        public let to: String
        public let defects: [String]
        public let parts: [Part]
        /// The message data exactly as the server got it, after SMTP dot-unstuffing.
        public var raw: [UInt8] = []

        private enum CodingKeys: String, CodingKey {
            case mailFrom, recipients, tls, authenticated, headerNames, subject, to, defects, parts
        }
    }

    /// Starts a server saving into `folder`; with `tls`, it offers STARTTLS with that certificate and requires it.
    ///
    /// - Parameters:
    ///   - refused: recipients answered 550 (refused for good).
    ///   - deferred: recipients answered 450 (try again later).
    ///   - mailReply: when set, the answer to every MAIL FROM (a refusal such as `553 5.7.1 no`).
    public init(
        in folder: URL, refusing refused: [String] = [], deferring deferred: [String] = [], mailReply: String? = nil,
        tls: TestCertificate? = nil, login: (user: String, password: String)? = nil
    ) async throws {
        self.folder = folder
        var config: [String: Any] = ["folder": folder.path, "refuse": refused, "defer": deferred]
        if let mailReply { config["mailReply"] = mailReply }
        if let tls {
            config["cert"] = tls.certificate.path
            config["key"] = tls.key.path
        }
        if let login {
            config["user"] = login.user
            config["password"] = login.password
        }
        let script = folder.appendingPathComponent("smtp_server.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        child = try ChildProcess(
            "/usr/bin/python3", [script.path, json], errorFile: folder.appendingPathComponent("server.stderr"))
        let ready = try await child.nextLine(waitingFor: "ready line")
        guard let ready, ready.hasPrefix("ready "), let port = Int(ready.dropFirst("ready ".count)) else {
            await child.stop()
            throw ServerFailed(line: ready, log: Self.read(folder.appendingPathComponent("server.stderr")))
        }
        self.port = port
    }

    public struct ServerFailed: Error, CustomStringConvertible {
        public let line: String?
        public let log: String
        public var description: String { "the SMTP test server did not start (\(line ?? "no output")): \(log)" }
    }

    /// `smtp://127.0.0.1:<port>`.
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// The next message the server saved; the server has saved it before it accepts the data,
    /// so after a successful `send` it is already there.
    public func nextMessage() async throws -> Received {
        let line = try await child.nextLine(waitingFor: "message line") ?? ""
        guard line.hasPrefix("message ") else { throw ServerFailed(line: line, log: stderrLog) }
        let target = URL(fileURLWithPath: String(line.dropFirst("message ".count)))
        var received = try JSONDecoder().decode(
            Received.self, from: Data(contentsOf: target.appendingPathComponent("summary.json")))
        received.raw = Array(try Data(contentsOf: target.appendingPathComponent("raw.eml")))
        return received
    }

    /// The MAIL and RCPT commands the server was sent, in order (`MAIL a@b`, `RCPT c@d`).
    public var commands: [String] {
        Self.read(folder.appendingPathComponent("commands.log")).split(separator: "\n").map(String.init)
    }

    public var stderrLog: String { Self.read(folder.appendingPathComponent("server.stderr")) }

    public func stop() async { await child.stop() }

    private static func read(_ file: URL) -> String {
        (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }
}
