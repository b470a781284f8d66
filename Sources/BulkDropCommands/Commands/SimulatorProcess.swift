import Foundation

/// `bulkdrop sim` started as a child process, so a benchmark measures BulkDrop without the
/// simulator's memory and CPU.
struct SimulatorProcess {
    let process: Process
    /// The API root the child printed.
    let baseURL: String

    /// Starts `bulkdrop sim ARGUMENTS` (this same executable) and waits for the address it listens on.
    static func start(_ arguments: [String]) throws -> SimulatorProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["sim"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 {
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "listening on ") else {
            process.terminate()
            throw SimulatorProcessError(output: text)
        }
        return SimulatorProcess(process: process, baseURL: String(text[range.upperBound...]))
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The simulator child did not say where it listens.
struct SimulatorProcessError: Error, CustomStringConvertible {
    let output: String
    var description: String { "the simulator process did not start; it said: \(output)" }
}
