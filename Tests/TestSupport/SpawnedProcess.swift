import Foundation
import Synchronization

/// A child process started with `posix_spawn(3)` and reaped by a thread of its own.
///
/// Tests start children through this rather than Foundation's `Process`: on Linux, `Process.run()`
/// lists `/proc/self/fd` with a 256-byte over-read and now and then crashes the test process when
/// it holds many descriptors, as a parallel test run does (swift-corelibs-foundation PR #5472).
/// The child gets only standard input, output and error; every other descriptor is closed in it.
public final class SpawnedProcess: Sendable {
    /// How a child ended: its exit status, or the signal that ended it.
    public struct Ending: Sendable, Equatable {
        public let status: Int32
        public let bySignal: Bool
    }

    /// The spawn itself failed: `function` returned `code` (an `errno` value).
    public struct Failed: Error, CustomStringConvertible {
        public let function: String
        public let code: Int32
        public var description: String { "\(function) failed: \(String(cString: strerror(code)))" }
    }

    public let pid: pid_t
    private let state = Mutex<(ending: Ending?, waiters: [CheckedContinuation<Ending, Never>])>((nil, []))

    /// Starts `executable` with `arguments`, in `directory` when given, with `environment` as its
    /// whole environment (this process's when `nil`), and `input`, `output` and `errors` as its
    /// standard descriptors (`/dev/null` for each not given). The caller keeps and closes its
    /// own descriptors.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        input: Int32? = nil, output: Int32? = nil, errors: Int32? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, target, flags) in [(input, 0, O_RDONLY), (output, 1, O_WRONLY), (errors, 2, O_WRONLY)] {
            if let descriptor {
                posix_spawn_file_actions_adddup2(&actions, descriptor, Int32(target))
            } else {
                posix_spawn_file_actions_addopen(&actions, Int32(target), "/dev/null", flags, 0)
            }
        }
        if let directory { try Self.check("addchdir_np", Self.addChdir(&actions, directory)) }
        try Self.check("addclosefrom_np", Self.addCloseFrom(&actions, 3))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
        let envp = variables + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        try Self.check("posix_spawn", posix_spawn(&pid, executable, &actions, nil, argv, envp))
        self.pid = pid
        Thread.detachNewThread { [self] in reap() }
    }

    /// Whether the child has not ended yet.
    public var isRunning: Bool { state.withLock { $0.ending == nil } }

    /// Sends `signal` (such as `SIGTERM` or `SIGKILL`) to the child, unless it has been reaped.
    public func send(_ signal: Int32) {
        state.withLock { state in
            if state.ending == nil { kill(pid, signal) }
        }
    }

    /// Waits, without blocking the cooperative pool, for the child to end.
    public func ending() async -> Ending {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if let ending = state.ending {
                    continuation.resume(returning: ending)
                } else {
                    state.waiters.append(continuation)
                }
            }
        }
    }

    /// Blocks the calling thread (never one of the cooperative pool) until the child ends.
    public func waitBlocking() -> Ending {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Ending?>(nil)
        Task.detached { [self] in
            let ending = await ending()
            result.withLock { $0 = ending }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    /// Waits for the child on this (dedicated) thread and hands its ending to every waiter.
    private func reap() {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let signaled = status & 0x7f != 0 && status & 0x7f != 0x7f
        let ending = Ending(status: signaled ? status & 0x7f : (status >> 8) & 0xff, bySignal: signaled)
        let waiters = state.withLock { state in
            state.ending = ending
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: ending) }
    }

    private static func check(_ function: String, _ code: Int32) throws {
        guard code == 0 else { throw Failed(function: function, code: code) }
    }

    // glibc's `_np` spawn actions are not in the Swift Glibc module; they are looked up by name.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Chdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>)
        -> Int32

    private static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32)
        -> Int32
    {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: CloseFrom.self)(actions, from)
    }

    private static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: Chdir.self)(actions, path)
    }
}
