import Foundation

extension SQLiteEngine {
    /// How long a statement waits for another process's lock before failing.
    static let busyTimeoutMilliseconds: Int32 = 5000

    /// Creates the parent directories, opens the file and configures the connection: WAL,
    /// `synchronous=NORMAL`, enforced foreign keys and a busy timeout.
    static func open(at path: String) throws(StoreError) -> SQLiteEngine {
        try prepareFile(at: path)
        do throws(StoreError) {
            let engine = try SQLiteEngine(path: path)
            try engine.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            // WAL lets readers in other processes carry on while a bulk change writes; it is
            // persistent, and a file system that cannot hold it answers with another mode.
            let mode = try engine.firstText("PRAGMA journal_mode = WAL", "switching to WAL")
            guard mode?.lowercased() == "wal" else {
                throw StoreError.cannotOpen(path: path, reason: "the file system refused WAL mode (\(mode ?? "none"))")
            }
            try engine.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", "configuring")
            return engine
        } catch {
            throw error.asCannotOpen(path: path)
        }
    }

    /// Creates the parent directories, and refuses an existing file that is not a SQLite database
    /// (SQLite itself would take a file of a few bytes for an empty database and overwrite it).
    private static func prepareFile(at path: String) throws(StoreError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(
                path: path,
                reason: "cannot create the directory \(directory.path): \(directoryProblem(directory, error))")
        }
        guard let file = try? FileHandle(forReadingFrom: url) else { return }  // new, or SQLite will say why
        defer { try? file.close() }
        let header = (try? file.read(upToCount: sqliteHeader.count)) ?? Data()
        guard header.isEmpty || header == sqliteHeader else {
            throw .cannotOpen(path: path, reason: "the file is not a SQLite database")
        }
    }

    /// Why `directory` could not be created, in words a user can act on: Foundation's own text is
    /// often a generic "could not be completed".
    private static func directoryProblem(_ directory: URL, _ error: any Error) -> String {
        var ancestor = directory
        while !FileManager.default.fileExists(atPath: ancestor.path), ancestor.pathComponents.count > 1 {
            ancestor.deleteLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "\(ancestor.path) is a file, not a directory"
        }
        if !FileManager.default.isWritableFile(atPath: ancestor.path) {
            return "\(ancestor.path) is not writable"
        }
        return (error as NSError).localizedDescription
    }

    /// The first bytes of every SQLite 3 database file.
    private static let sqliteHeader = Data("SQLite format 3\u{0}".utf8)
}

extension StoreError {
    /// This failure as one of opening the database at `path`, keeping the engine's message as the reason.
    func asCannotOpen(path: String) -> StoreError {
        switch self {
        case .cannotOpen: return self
        case .sqlite(_, _, _, let message), .postgres(_, _, _, let message), .constraintViolation(_, _, let message):
            return .cannotOpen(path: path, reason: message)
        default: return .cannotOpen(path: path, reason: description)
        }
    }
}
