import BulkDropCommands
import CMalloc
import CurlRuntime
import Glibc

// glibc gives each thread that allocates its own malloc arena and keeps freed memory in all of
// them; with the Swift concurrency pool, the HTTP loop and the store thread that inflates the
// resident size of a large run. Two arenas are plenty for this program.
_ = cmalloc_limit_arenas(2)

// libcurl's global set-up is not thread-safe: do it here, while this is the only thread.
do {
    try CurlRuntime.initialize()
} catch {
    let message = Array("bulkdrop: error: \(error)\n".utf8)
    _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }  // nowhere else to report it
    exit(1)
}

exit(BulkDropCLI.main(Array(CommandLine.arguments.dropFirst())))
