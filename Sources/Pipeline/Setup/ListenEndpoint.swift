import Foundation
import Glibc

/// Where `bulkdrop run` serves `/healthz`, `/readyz`, `/metrics` and its status page (the `listen`
/// key or `--listen`), and the token a request must carry (read from `listenTokenEnvironment`).
///
/// A loopback address needs no token; any other address is refused without one, so the service is
/// never open to the network by accident.
public struct ListenEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// The token requests must carry; never printed.
    public let token: String?

    public init(host: String, port: Int, token: String?) {
        self.host = host
        self.port = port
        self.token = token
    }

    /// `host:port`, with IPv6 addresses in brackets; never the token.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether only this machine can connect: `localhost`, 127.0.0.0/8 or `::1`.
    public var isLoopback: Bool { Self.isLoopback(host) }

    /// Splits `127.0.0.1:9180`, `[::1]:9180` or `localhost:9180` into host and port; nil when the
    /// text is not an address with a port from 0 to 65535 (0: the system chooses one).
    static func parse(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: { $0 == "/" || $0 == " " || $0 == "[" || $0 == "]" }) else {
            return nil
        }
        return (host, port)
    }

    static func isLoopback(_ host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 { return UInt32(bigEndian: ipv4.s_addr) >> 24 == 127 }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, host, &ipv6) == 1 {
            return withUnsafeBytes(of: ipv6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
        }
        return false
    }
}

extension PipelineConfiguration {
    /// What is wrong with `listen`: not an address with a port, or not loopback without a token named.
    func listenProblems() -> [ConfigurationProblem] {
        guard let listen else { return [] }
        guard let address = ListenEndpoint.parse(listen) else {
            return [.invalidValue(path: "listen", value: listen, expected: Self.listenExpected)]
        }
        if !ListenEndpoint.isLoopback(address.host), listenTokenEnvironment == nil {
            return [.conflict(path: "listen", fix: Self.tokenNeeded(listen))]
        }
        return []
    }

    /// The endpoint to serve, from `override` (`--listen`) or else the `listen` key; nil when neither names one.
    ///
    /// - Throws: `ConfigurationProblem` for an address that cannot be parsed, a token variable
    ///   that is named but not set, or an address other than loopback without a token.
    public func listenEndpoint(override: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationProblem) -> ListenEndpoint?
    {
        guard let text = override ?? listen else { return nil }
        guard let address = ListenEndpoint.parse(text) else {
            throw .invalidValue(
                path: override == nil ? "listen" : "--listen", value: text, expected: Self.listenExpected)
        }
        let token = try listenTokenEnvironment.map { variable throws(ConfigurationProblem) in
            try SecretVariable.value(
                of: variable, key: "listenTokenEnvironment", secret: "listener token", in: environment)
        }
        let endpoint = ListenEndpoint(host: address.host, port: address.port, token: token)
        if !endpoint.isLoopback, token == nil { throw .conflict(path: "listen", fix: Self.tokenNeeded(text)) }
        return endpoint
    }

    private static let listenExpected = "an address and port such as 127.0.0.1:9180 or [::1]:9180"

    private static func tokenNeeded(_ address: String) -> String {
        "\(address) is reachable from other machines, and no token guards it; set listenTokenEnvironment to the "
            + "name of a variable holding a long random token, or listen on 127.0.0.1"
    }
}
