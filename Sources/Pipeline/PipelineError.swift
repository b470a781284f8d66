import BulkChange
import Store

/// A failure that stops a command (as opposed to a row failure, which becomes an outcome).
public enum PipelineError: Error, CustomStringConvertible {
    /// A configuration that cannot be used, with every problem found; `path` is the file, or
    /// `nil` for settings built in code.
    case configuration(path: String?, problems: [ConfigurationProblem])
    case input(InputFileError)
    /// A file that cannot be read at all (permissions, an I/O error).
    case unreadable(path: String, reason: String)
    /// An inventory or plan file that cannot be read at all.
    case inventoryFile(path: String, line: Int?, problem: String)
    case unknownTenant(String, known: [String])
    case unknownProvider(String, known: [String])
    case store(StoreError)
    case outbox(OutboxError)
    case simulator(String)
    case carrier(String)
    /// Stopped (SIGTERM/SIGINT) with devices left PENDING; the file is resumed at the next start.
    case interrupted(bulkChangeID: Int64)
    /// A device's outcome, and then the FAILED row saying so, could not be written: the row stays
    /// PROCESSING and is checked again when the file resumes.
    case unrecorded(detailID: Int64, outcome: String, reason: StoreError)
    /// Another live process works the bulk change (its lease says so).
    case leased(bulkChangeID: Int64, holder: String)
    /// The bulk change still has rows without a final outcome, so it cannot be reported or closed.
    case unfinished(bulkChangeID: Int64, open: Int)

    /// One line per problem: a configuration error gives one per problem found, the others one.
    public var diagnostics: [String] {
        guard case .configuration(let path, let problems) = self else { return [description] }
        return problems.map { "configuration\(path.map { " \($0)" } ?? ""): \($0)" }
    }

    public var description: String {
        switch self {
        case .configuration: diagnostics.joined(separator: "\n")
        case .input(let error): "\(error)"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason); check the file's permissions and the disk, then try again"
        case .inventoryFile(let path, let line, let problem): "\(path)\(line.map { ":\($0)" } ?? ""): \(problem)"
        case .unknownTenant(let name, let known):
            "unknown tenant \"\(name)\"; known tenants: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
        case .unknownProvider(let name, let known):
            "unknown service provider \"\(name)\"; configured: "
                + (known.isEmpty ? "none" : known.joined(separator: ", "))
                + " (name it with --provider or the file's serviceProvider)"
        case .store(let error): "database: \(error)"
        case .outbox(let error): "\(error)"
        case .simulator(let reason): "cannot start the built-in Jasper simulator: \(reason)"
        case .carrier(let reason): reason
        case .interrupted(let id):
            "bulk change \(id) stopped before every device was done; it resumes at the next start"
        case .unrecorded(let detailID, let outcome, let reason):
            "the outcome \(outcome) of detail \(detailID) could not be saved, nor a FAILED row in its place: "
                + "\(reason); the row stays in flight and is checked on Control Center when the file resumes"
        case .leased(let id, let holder):
            "bulk change \(id) is being worked by another bulkdrop process (\(holder)); it is left to that one"
        case .unfinished(let id, let open):
            "bulk change \(id) still has \(open) rows without an outcome; it resumes at the next start"
        }
    }
}
