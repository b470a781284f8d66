import Foundation
import Synchronization

/// A `bulkdrop` child process that keeps running (the service, the simulator), whose standard
/// output and error are read, together, line by line as they come.
final class ServiceProcess: Sendable {
    private let process: Process
    private let lines = Mutex<(text: [String], ended: Bool)>(([], false))
    private let newLine = DispatchSemaphore(value: 0)

    init(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws {
        process = Process()
        process.executableURL = BinaryRunner.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            var pending = Data()
            while case let chunk = handle.availableData, !chunk.isEmpty {
                pending.append(chunk)
                while let end = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<end], as: UTF8.self)
                    pending = Data(pending[(end + 1)...])
                    lines.withLock { $0.text.append(line) }
                    newLine.signal()
                }
            }
            lines.withLock { $0.ended = true }
            newLine.signal()
        }
    }

    /// Blocks until a line satisfies `matches` (or the child ends); the line, if any.
    func waitForLine(_ matches: (String) -> Bool) -> String? {
        var seen = 0
        while true {
            let (found, count, ended) = lines.withLock { lines in
                (lines.text[seen...].first(where: matches), lines.text.count, lines.ended)
            }
            if let found { return found }
            if ended, count == seen { return nil }
            seen = count
            newLine.wait()
        }
    }

    var errorText: String { lines.withLock { $0.text.joined(separator: "\n") } }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the child to end and returns its exit status.
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    var terminatedBySignal: Bool { process.terminationReason == .uncaughtSignal }
}
