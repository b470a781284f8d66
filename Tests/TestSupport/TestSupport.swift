import Foundation
import Glibc
import Mail

/// A fresh temporary folder for one test, removed by `remove()`.
public struct TestFolder {
    public let url: URL

    public init(_ name: String = #function) throws {
        let safeName = name.filter { $0.isLetter || $0.isNumber }
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "MailTests-\(safeName)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A self-signed certificate for `localhost` and 127.0.0.1, made with the `openssl` command.
public struct TestCertificate {
    public let certificate: URL
    public let key: URL

    public init(in folder: URL) async throws {
        certificate = folder.appendingPathComponent("cert.pem")
        key = folder.appendingPathComponent("key.pem")
        let status = try await run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.path, "-out", certificate.path,
            ])
        guard status == 0 else { throw CommandFailed(command: "openssl req", status: status) }
    }
}

public struct CommandFailed: Error {
    public let command: String
    public let status: Int32
}

/// Runs a command to its end without blocking a thread of the cooperative pool; its exit status.
public func run(_ executable: String, _ arguments: [String]) async throws -> Int32 {
    let ending = try await SpawnedProcess(executable, arguments).ending()
    return ending.bySignal ? 128 + ending.status : ending.status
}

/// A TCP socket on 127.0.0.1 at a port the OS picked, listening but never accepting: a client's
/// connection completes in the kernel and then hears nothing, like a server that hung.
public final class SilentListener {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        (descriptor, port) = try Self.bound()
        guard listen(descriptor, 8) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    deinit { close(descriptor) }

    /// Whether a client connected (its connection waits to be accepted) within `milliseconds`;
    /// the blocking `poll` runs on a thread of its own.
    public func waitForConnection(milliseconds: Int32 = 10_000) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [descriptor] in
                var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                continuation.resume(returning: poll(&entry, 1, milliseconds) == 1)
            }
        }
    }

    /// A port nothing listens on: one the OS just gave us, released again.
    public static func unusedPort() throws -> Int {
        let (descriptor, port) = try bound()
        close(descriptor)
        return port
    }

    private static func bound() throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 ? getsockname(descriptor, socketAddress, &length) : -1
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}

extension MailAddress {
    /// An address the test knows to be valid.
    public static func test(_ text: String) -> MailAddress {
        guard let address = MailAddress(text) else { fatalError("not a valid test address: \(text)") }
        return address
    }
}
