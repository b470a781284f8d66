/// `bulkdrop run`: the service loop that watches the inbox.
///
/// - Note: The watcher, the change types and the outbox are later work (issues 4 and 5); for now the
///   command says what it will watch and exits, so the README's main command is honest today.
enum RunCommand: Command {
    static let spec = CommandSpec(
        path: ["run"],
        summary: "Watch the inbox and apply the bulk-change files partners drop there.",
        synopsis: "[--inbox DIR] [--outbox DIR] [--state DIR]",
        options: [
            .init("--inbox", value: "DIR", "where partners drop files, one folder per tenant (default: inbox)"),
            .init("--outbox", value: "DIR", "where results and error reports go (default: outbox)"),
            .init("--state", value: "DIR", "database and files in progress (default: var)"),
        ],
        details: "Not built yet: this version prints what it would watch and exits."
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let inbox = arguments.options["--inbox"] ?? "inbox"
        let outbox = arguments.options["--outbox"] ?? "outbox"
        let state = arguments.options["--state"] ?? "var"
        console.output.write(
            """
            bulkdrop run would watch \(inbox)/<tenant>/ for CSV and JSON bulk-change files,
            write results and error reports to \(outbox)/<tenant>/, and keep its SQLite database
            and files in progress under \(state)/, applying changes through the built-in Jasper simulator.
            The watcher is not built yet; try 'bulkdrop parse FILE' to see how a file is read.

            """)
        return ExitStatus.success
    }
}
