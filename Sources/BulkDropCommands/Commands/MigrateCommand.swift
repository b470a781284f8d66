import Foundation
import Pipeline
import Store

/// `bulkdrop migrate`: moves a SQLite state to a PostgreSQL database (see `StoreCopy`).
enum MigrateCommand: Command {
    static let spec = CommandSpec(
        path: ["migrate"],
        summary: "Copy a SQLite state (var/bulkdrop.sqlite) into a PostgreSQL database, checked with counts.",
        synopsis: "--from FILE --to URL [--password-environment VAR]",
        options: [
            .init("--from", value: "FILE", "the SQLite database to copy (required)"),
            .init("--to", value: "URL", "the PostgreSQL database, postgresql://user@host:5432/name (required)"),
            .init("--password-environment", value: "VAR", "the variable holding the PostgreSQL password"),
        ],
        details: """
            Stop every bulkdrop process first. Inventory, plans, the file ledger, bulk changes with their
            rows, logs and history, the rate plan queue and the notification spool are copied with their
            ids; leases, worker heartbeats and call budgets are not. Each table's rows are counted on both
            sides at the end, and any difference ends the command with status 1. Run it again after a
            failure: it continues where it stopped. Then point the configuration's "database" at the URL.
            """
    )

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let from = try CommandSupport.required("--from", arguments, spec)
        let url = try CommandSupport.required("--to", arguments, spec)
        guard FileManager.default.fileExists(atPath: from) else {
            console.error(
                "the SQLite database \(from) does not exist; give the state's file, such as var/bulkdrop.sqlite")
            return ExitStatus.usageOrInput
        }
        var password: String?
        if let variable = arguments.options["--password-environment"] {
            guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
                console.error("the password variable \(variable) is not set or empty; export it and run again")
                return ExitStatus.usageOrInput
            }
            password = value
        }
        let counts: [StoreCopy.TableCount]
        do {
            let address = try PostgresAddress(url: url, password: password)
            counts = try runBlocking { () async throws(StoreError) -> [StoreCopy.TableCount] in
                let source = try await Store.open(at: from)
                let target = try await Store.open(.postgres(address))
                do throws(StoreError) {
                    let counts = try await StoreCopy(from: source, to: target).run { table, rows in
                        // Progress on standard error, a line per batch, apart from the counts.
                        FileHandle.standardError.write(Data("migrate: \(table): \(rows) rows copied\n".utf8))
                    }
                    await source.close()
                    await target.close()
                    return counts
                } catch {
                    await source.close()
                    await target.close()
                    throw error
                }
            }
        } catch let error as StoreError {
            console.error("\(error)")
            return ExitStatus.failure
        }
        let mismatched = counts.filter { $0.source != $0.target }
        for count in counts {
            let check = count.source == count.target ? "ok" : "DIFFERENT"
            console.output.write("\(count.table): \(count.source) in SQLite, \(count.target) in PostgreSQL, \(check)\n")
        }
        guard mismatched.isEmpty else {
            console.error(
                "the counts differ for \(mismatched.map(\.table).joined(separator: ", ")); a target that already "
                    + "held rows of its own (workers ran on it) cannot take the copy: migrate into an empty database")
            return ExitStatus.failure
        }
        return ExitStatus.success
    }
}
