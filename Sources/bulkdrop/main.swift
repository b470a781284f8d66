import BulkDropCommands
import Glibc

exit(BulkDropCLI.main(Array(CommandLine.arguments.dropFirst())))
