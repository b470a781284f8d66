import Foundation
import TestSupport
import Testing

/// The files an operator installs (`deploy/`): the systemd unit passes `systemd-analyze verify`,
/// and the example configuration is one BulkDrop accepts.
@Suite("deploy files")
struct DeployFilesTests {
    static let deploy = ProcessCommandTests.repository.appendingPathComponent("deploy")

    static let hasSystemdAnalyze = FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")

    @Test(.enabled(if: hasSystemdAnalyze, "systemd-analyze is not installed here"))
    func theUnitPassesSystemdAnalyzeVerify() async throws {
        let directory = try TemporaryDirectory()
        let unit = try String(contentsOf: Self.deploy.appendingPathComponent("bulkdrop.service"), encoding: .utf8)
        for directive in ["User=bulkdrop", "Restart=on-failure", "KillSignal=SIGTERM", "StandardOutput=journal"] {
            #expect(unit.contains("\n\(directive)\n"), "\(directive)")
        }
        // verify checks that ExecStart's program exists: here it is the binary just built.
        let installed = unit.replacingOccurrences(
            of: "/usr/local/bin/bulkdrop", with: BinaryRunner.executable.path)
        let path = directory.url.appendingPathComponent("bulkdrop.service")
        try installed.write(to: path, atomically: true, encoding: .utf8)
        // It exits 0 even for a directive it ignores; what it says about the unit is on standard error.
        let said = try await ExternalTool.run(
            "/bin/sh", ["-c", "/usr/bin/systemd-analyze verify \"$0\" 2>&1", path.path], in: directory.url)
        #expect(said.isEmpty, "systemd-analyze verify says: \(said)")
    }

    @Test func theExampleConfigurationIsAccepted() async throws {
        let directory = try TemporaryDirectory()
        let example = try String(contentsOf: Self.deploy.appendingPathComponent("bulkdrop.json"), encoding: .utf8)
        let local = example.replacingOccurrences(of: "/var/lib/bulkdrop", with: directory.url.path + "/state")
            .replacingOccurrences(of: "/srv/bulkdrop", with: directory.url.path + "/srv")
        let path = directory.url.appendingPathComponent("bulkdrop.json").path
        try local.write(toFile: path, atomically: true, encoding: .utf8)
        let status = try await BinaryRunner.run(["status", "--config", path], in: directory.url)
        #expect(status.status == 0, "\(status.errors)")
        #expect(status.output.hasPrefix("running: 0\n"))
    }
}
