import Foundation
import HTTP
import JasperSim
import Pipeline

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

    /// What the child counted so far (`GET /_sim/counters`); the hook's own calls are not counted.
    func counters() throws -> SimulatorCounters {
        let root =
            baseURL.hasSuffix(JasperSimulator.apiRoot)
            ? String(baseURL.dropLast(JasperSimulator.apiRoot.count)) : baseURL
        // Generous: after a million-device run the counters (edits per device) are tens of megabytes of JSON.
        let http = HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(120)))
        defer { http.shutdown() }
        let response = try runBlocking {
            try await http.send(HTTPRequest(method: "GET", target: root + "/_sim/counters"))
        }
        guard response.status == 200 else {
            throw SimulatorProcessError(output: "GET /_sim/counters answered \(response.status)")
        }
        return try JSONDecoder().decode(SimulatorCounters.self, from: Data(response.body))
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The simulator child did not say where it listens, or its hooks did not answer.
struct SimulatorProcessError: Error, CustomStringConvertible {
    let output: String
    var description: String { "the simulator process did not behave; it said: \(output)" }
}
