import Pipeline

/// The `bulkdrop` command line: picks the command from the first words and runs it.
///
/// Argument parsing is hand-written and shared by every command (`CommandSpec`,
/// `ParsedArguments`); mistakes end in one line with a hint and exit status 2.
public enum BulkDropCLI {
    /// Every command, in the order `--help` lists them.
    static let commands: [any Command.Type] = [
        RunCommand.self, StatusCommand.self, ShowCommand.self, ProcessCommand.self, ValidateCommand.self,
        UndoCommand.self,
        ScheduleCommand.self,
        DevicesImportCommand.self,
        DevicesSyncCommand.self, PlansSyncCommand.self, CustomerPlansImportCommand.self, ParseCommand.self,
        SimCommand.self, BenchCSVCommand.self, BenchHTTPCommand.self, BenchPacingCommand.self, BenchE2ECommand.self,
        BenchValidateCommand.self, BenchXLSXReadCommand.self, BenchXLSXWriteCommand.self, BenchWorkersCommand.self,
        MigrateCommand.self,
    ]

    /// Runs the command line `arguments` (without the program name) and returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let console = Console.standard()
        defer {
            console.output.flush()
            console.errors.flush()
        }
        do {
            guard let first = arguments.first else { throw UsageError.missingCommand }
            if first == "--help" || first == "-h" || first == "help" {
                console.output.write(help)
                return ExitStatus.success
            }
            guard let command = commands.first(where: { arguments.starts(with: $0.spec.path) }) else {
                throw UsageError.unknownCommand(commandWords(arguments))
            }
            let parsed = try ParsedArguments(Array(arguments.dropFirst(command.spec.path.count)), spec: command.spec)
            if parsed.wantsHelp {
                console.output.write(command.spec.help)
                return ExitStatus.success
            }
            return try command.run(parsed, console: console)
        } catch let error as UsageError {
            console.error("\(error)")
            return ExitStatus.usageOrInput
        } catch let error as PipelineError {
            return CommandSupport.fail(console, error)
        } catch {
            console.error("\(error)")
            return ExitStatus.failure
        }
    }

    /// The words a user meant as a command, for the "unknown command" message.
    private static func commandWords(_ arguments: [String]) -> String {
        let known = Set(commands.compactMap { $0.spec.path.count > 1 ? $0.spec.path[0] : nil })
        if known.contains(arguments[0]), arguments.count > 1 { return arguments[0...1].joined(separator: " ") }
        return arguments[0]
    }

    static var help: String {
        var lines = [
            "usage: bulkdrop COMMAND [options]", "",
            "BulkDrop applies bulk changes to IoT SIM devices on Jasper (Cisco IoT Control Center) carriers.", "",
            "commands:",
        ]
        for command in commands {
            let name = command.spec.path.joined(separator: " ")
            lines.append("  " + name + String(repeating: " ", count: max(2, 14 - name.count)) + command.spec.summary)
        }
        lines += ["", "Run 'bulkdrop COMMAND --help' for a command's options."]
        return lines.joined(separator: "\n") + "\n"
    }
}
