import Foundation
import Synchronization

/// A child process whose standard output is read line by line on a thread of its own, and
/// awaited without blocking the cooperative pool. Standard error goes to a file for diagnostics,
/// or, without one, into the same lines as standard output.
public final class ChildProcess: Sendable {
    public struct Timeout: Error, CustomStringConvertible {
        public let waitingFor: String
        public var description: String { "no \(waitingFor) from the child process in time" }
    }

    /// The lines read so far and the one task waiting for the next.
    private final class Lines: Sendable {
        private struct State {
            var ready: [String] = []
            var ended = false
            /// The one task waiting for a line: resumed with the line, `.some(nil)` at the end, `nil` on timeout.
            var waiter: (id: Int, continuation: CheckedContinuation<String??, Never>)?
            var nextWaiterID = 0
            /// Waits whose deadline passed before they began waiting.
            var expired: Set<Int> = []
        }

        private let state = Mutex(State())

        public func makeWaiterID() -> Int {
            state.withLock { state in
                state.nextWaiterID += 1
                return state.nextWaiterID
            }
        }

        /// Resumes `continuation` with the next line, at once or when it comes.
        public func wait(_ id: Int, _ continuation: CheckedContinuation<String??, Never>) {
            state.withLock { state in
                if !state.ready.isEmpty {
                    continuation.resume(returning: state.ready.removeFirst())
                } else if state.ended {
                    continuation.resume(returning: .some(nil))
                } else if state.expired.remove(id) != nil {
                    continuation.resume(returning: nil)
                } else {
                    state.waiter = (id, continuation)
                }
            }
        }

        /// A line read, or `nil` at the end of the output.
        public func deliver(_ line: String?) {
            state.withLock { state in
                if let waiter = state.waiter {
                    state.waiter = nil
                    waiter.continuation.resume(returning: .some(line))
                } else if let line {
                    state.ready.append(line)
                }
                if line == nil { state.ended = true }
            }
        }

        /// The deadline of wait `id` passed.
        public func expire(_ id: Int) {
            state.withLock { state in
                guard let waiter = state.waiter, waiter.id == id else { return _ = state.expired.insert(id) }
                state.waiter = nil
                waiter.continuation.resume(returning: nil)
            }
        }
    }

    private let process: SpawnedProcess
    /// Closed by `stop()`; the child takes the end of its standard input as the signal to exit.
    private let input: Pipe
    private let lines = Lines()

    /// Starts `executable` with `arguments` (and `environment` added to this process's), its
    /// standard error appended to `errorFile`, or read with standard output when there is none.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], errorFile: URL?)
        throws
    {
        let output = Pipe()
        input = Pipe()
        var errorHandle: FileHandle?
        if let errorFile {
            _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
            errorHandle = try FileHandle(forWritingTo: errorFile)
        }
        let outputDescriptor = output.fileHandleForWriting.fileDescriptor
        process = try SpawnedProcess(
            executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            input: input.fileHandleForReading.fileDescriptor, output: outputDescriptor,
            errors: errorHandle?.fileDescriptor ?? outputDescriptor)
        // The child has its own copies; without closing ours, the output would never end.
        try output.fileHandleForWriting.close()
        try input.fileHandleForReading.close()
        try errorHandle?.close()
        let handle = output.fileHandleForReading
        Thread.detachNewThread { [lines] in
            var pending = Data()
            while case let chunk = handle.availableData, !chunk.isEmpty {
                pending.append(chunk)
                while let end = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<end], as: UTF8.self)
                    pending = Data(pending[(end + 1)...])
                    lines.deliver(line)
                }
            }
            lines.deliver(nil)
        }
    }

    /// The next line of standard output; `nil` once the child has closed it.
    ///
    /// - Throws: `Timeout` when no line comes within `limit`, a bound on an external process
    ///   that should answer in milliseconds.
    public func nextLine(within limit: Duration = .seconds(20), waitingFor: String) async throws -> String? {
        let id = lines.makeWaiterID()
        let deadline = Task { [lines] in
            try await Task.sleep(for: limit)
            lines.expire(id)
        }
        defer { deadline.cancel() }
        let result = await withCheckedContinuation { lines.wait(id, $0) }
        guard let line = result else { throw Timeout(waitingFor: waitingFor) }
        return line
    }

    /// Reads lines until one satisfies `matches`; `nil` when the output ends first.
    public func line(within limit: Duration = .seconds(30), where matches: (String) -> Bool) async throws -> String? {
        while let line = try await nextLine(within: limit, waitingFor: "a matching line") {
            if matches(line) { return line }
        }
        return nil
    }

    /// A child still running when its test lets go of it (the test failed half way) is killed,
    /// so no process outlives its test.
    deinit {
        process.send(SIGKILL)
    }

    /// Sends `signal` (such as `SIGTERM` or `SIGKILL`) to the child.
    public func send(_ signal: Int32) {
        process.send(signal)
    }

    /// Waits for the child to end: its exit status, and whether a signal ended it.
    public func exit() async -> (status: Int32, bySignal: Bool) {
        let ending = await process.ending()
        return (ending.status, ending.bySignal)
    }

    /// Closes the child's standard input, stops it and waits for it to end.
    public func stop() async {
        try? input.fileHandleForWriting.close()
        process.send(SIGTERM)
        _ = await process.ending()
    }
}
