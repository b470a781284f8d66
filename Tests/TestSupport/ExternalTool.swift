import Foundation

/// Runs a program we did not write to the end and hands back what it printed: Debian's Python
/// (`/usr/bin/python3`, where `scripts/setup` installs openpyxl) and LibreOffice headless, the
/// independent readers and writers the workbook tests check BulkDrop against, and PostgreSQL's
/// programs (`PostgresTestServer`).
public enum ExternalTool {
    /// The program ended with a status other than 0.
    public struct Failed: Error, CustomStringConvertible {
        public let command: String
        public let status: Int32
        public let errors: String
        public var description: String { "\(command) exited with \(status): \(errors)" }
    }

    /// Runs `script` with `/usr/bin/python3` in `folder`, passing `arguments`; returns its standard output.
    public static func python(_ script: String, _ arguments: [String] = [], in folder: URL) async throws -> String {
        let path = folder.appendingPathComponent("script-\(UUID().uuidString).py")
        try script.write(to: path, atomically: true, encoding: .utf8)
        return try await run("/usr/bin/python3", [path.path] + arguments, in: folder)
    }

    /// Converts `file` with LibreOffice headless to `format` (`csv`, `xlsx`) in `folder`; returns
    /// the converted file's path. LibreOffice's profile lives in `folder`, so tests never share one.
    public static func libreOfficeConvert(_ file: URL, to format: String, in folder: URL) async throws -> URL {
        let profile = folder.appendingPathComponent("lo-profile")
        _ = try await run(
            "/usr/bin/soffice",
            [
                "-env:UserInstallation=file://\(profile.path)", "--headless", "--norestore", "--convert-to", format,
                "--outdir", folder.path, file.path,
            ], in: folder)
        return folder.appendingPathComponent(file.deletingPathExtension().lastPathComponent + "." + format)
    }

    /// Whether LibreOffice is installed (`scripts/setup` installs it).
    public static var hasLibreOffice: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice") }

    /// Runs `executable` with `arguments` in `folder` to its end; returns its standard output.
    ///
    /// The child gets this process's environment with `HOME` set to `folder` and `environment`
    /// added over it. Its output and errors go to files in `folder`, removed once read.
    ///
    /// - Throws: `Failed`, with the command and its standard error, when it ends with a status other than 0.
    public static func run(
        _ executable: String, _ arguments: [String], in folder: URL, environment: [String: String] = [:]
    ) async throws -> String {
        let name = UUID().uuidString
        let outputPath = folder.appendingPathComponent("\(name).out").path
        let errorsPath = folder.appendingPathComponent("\(name).err").path
        let output = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let errors = open(errorsPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer {
            close(output)
            close(errors)
            unlink(outputPath)
            unlink(errorsPath)
        }
        var childEnvironment = ProcessInfo.processInfo.environment
        childEnvironment["HOME"] = folder.path
        childEnvironment.merge(environment) { _, given in given }
        let process = try SpawnedProcess(
            executable, arguments, environment: childEnvironment, directory: folder.path, output: output,
            errors: errors)
        let ending = await process.ending()
        let printed = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard ending.status == 0, !ending.bySignal else {
            throw Failed(
                command: ([executable] + arguments).joined(separator: " "), status: ending.status,
                errors: (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "")
        }
        return printed
    }
}
