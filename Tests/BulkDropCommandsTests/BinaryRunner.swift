import Foundation
import TestSupport

/// Runs the built `bulkdrop` executable as a partner would, and captures what it prints.
struct BinaryRunner {
    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// The `bulkdrop` binary next to the test bundle (both live in the build products folder).
    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("bulkdrop")
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Runs the binary to its end. The waiting happens on threads of its own, never on Swift's
    /// cooperative pool, so other tests' tasks keep running meanwhile.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:])
        async throws -> Result
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result { try runBlocking(arguments, in: directory, environment: environment) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], in directory: URL?, environment: [String: String]) throws
        -> Result
    {
        let output = Pipe()
        let errors = Pipe()
        let process = try SpawnedProcess(
            executable.path, arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, directory: directory?.path,
            output: output.fileHandleForWriting.fileDescriptor, errors: errors.fileHandleForWriting.fileDescriptor)
        try output.fileHandleForWriting.close()
        try errors.fileHandleForWriting.close()
        // Drain both pipes before waiting, so a large output cannot block the child.
        let errorData = ReadAll(errors.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let ending = process.waitBlocking()
        return Result(
            status: ending.bySignal ? 128 + ending.status : ending.status,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData.wait(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on a thread of its own.
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
