import BulkDropCommands
import CMalloc
import Glibc

// glibc gives each thread that allocates its own malloc arena and keeps freed memory in all of
// them; with the Swift concurrency pool, the HTTP loop and the store thread that inflates the
// resident size of a large run. Two arenas are plenty for this program.
_ = cmalloc_limit_arenas(2)

exit(BulkDropCLI.main(Array(CommandLine.arguments.dropFirst())))
