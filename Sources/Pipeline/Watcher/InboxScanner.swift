import Foundation
import Glibc

/// A regular file waiting in a known tenant's inbox folder, as `lstat` saw it.
public struct InboxFile: Equatable, Sendable {
    /// The tenant folder the file was dropped in.
    public var tenant: String
    /// The full path: `<inbox>/<tenant>/<name>`.
    public var path: String
    /// The file name, exactly as it is on disk.
    public var name: String
    /// The size in bytes.
    public var size: Int64
    /// The modification time, to the sub-second.
    public var modified: Date

    /// Describes a file in `<inbox>/<tenant>/`.
    public init(tenant: String, path: String, name: String, size: Int64, modified: Date) {
        self.tenant = tenant
        self.path = path
        self.name = name
        self.size = size
        self.modified = modified
    }
}

/// A regular file that is in the inbox but not where a tenant's drops go; it is reported, never read.
public struct MisplacedFile: Equatable, Sendable {
    /// The full path of the file.
    public var path: String
    /// The file name.
    public var name: String
    /// What is wrong with the place, and where the file should go.
    public var reason: String

    /// Describes a file at `path`, named `name`, misplaced for `reason`.
    public init(path: String, name: String, reason: String) {
        self.path = path
        self.name = name
        self.reason = reason
    }
}

/// An inbox entry the scanner skipped on purpose: hidden, temporary, a link or not a regular file.
public struct IgnoredEntry: Equatable, Sendable {
    /// The full path of the entry.
    public var path: String
    /// Why the entry was skipped.
    public var reason: String

    /// Describes an entry at `path`, skipped for `reason`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// One look at the inbox: the files that may be taken, the files in the wrong place, and what was skipped.
public struct InboxScan: Sendable {
    /// Regular files in known tenant folders, in arrival order (modification time, then name, then path).
    public var candidates: [InboxFile] = []
    /// Regular files outside a known tenant folder, sorted by path.
    public var misplaced: [MisplacedFile] = []
    /// Entries skipped on purpose, sorted by path.
    public var ignored: [IgnoredEntry] = []
    /// Regular files whose names are not UTF-8, in the inbox or a tenant folder.
    public var unreadableNames: [UnreadableName] = []
}

/// Lists the inbox, laid out as `<inbox>/<tenant>/<file>`, without ever following a symbolic link.
///
/// Every entry is examined with `fstatat(AT_SYMLINK_NOFOLLOW)` relative to its open folder, and a tenant
/// folder is opened with `O_NOFOLLOW`, so a link cannot lead the scan out of the inbox even if an
/// entry is swapped for one mid-scan. The inbox folder itself is the operator's setting and may be a link.
/// Entries that vanish during the scan are left out.
public enum InboxScanner {
    /// Name endings of uploads still in progress, compared in lower case.
    private static let temporarySuffixes = [".filepart", ".part", ".tmp", ".partial"]

    /// Scans `inbox`; folders named in `tenants` give candidates, every other regular file is misplaced.
    ///
    /// - Note: A missing inbox folder gives an empty scan; an unreadable one gives a single ignored entry.
    public static func scan(inbox: String, tenants: Set<String>) -> InboxScan {
        var scan = InboxScan()
        var root = inbox
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        guard let listing = entries(ofFolder: root, followingLink: true) else {
            if errno != ENOENT { scan.ignored.append(IgnoredEntry(path: root, reason: "cannot read: \(lastError())")) }
            return scan
        }
        let prefix = root == "/" ? "/" : root + "/"
        for entry in listing {
            let path = prefix + entry.name
            switch entry.verdict {
            case .skip(let reason):
                scan.ignored.append(IgnoredEntry(path: path, reason: reason))
            case .unreadableName(let bytes):
                scan.unreadableNames.append(UnreadableName(folder: root, tenant: nil, bytes: bytes))
            case .folder:
                addFolder(entry.name, at: path, known: tenants.contains(entry.name), to: &scan)
            case .file:
                let reason = "not in a tenant folder: put it in inbox/<tenant>/"
                scan.misplaced.append(MisplacedFile(path: path, name: entry.name, reason: reason))
            }
        }
        scan.candidates.sort { ($0.modified, $0.name, $0.path) < ($1.modified, $1.name, $1.path) }
        scan.misplaced.sort { $0.path < $1.path }
        scan.ignored.sort { $0.path < $1.path }
        return scan
    }

    /// Adds the files of the tenant folder `tenant` at `folderPath`: candidates if `known`, misplaced otherwise.
    private static func addFolder(_ tenant: String, at folderPath: String, known: Bool, to scan: inout InboxScan) {
        guard let listing = entries(ofFolder: folderPath, followingLink: false) else {
            if errno != ENOENT {
                scan.ignored.append(IgnoredEntry(path: folderPath, reason: "cannot read: \(lastError())"))
            }
            return
        }
        for entry in listing {
            let path = folderPath + "/" + entry.name
            switch entry.verdict {
            case .skip(let reason):
                scan.ignored.append(IgnoredEntry(path: path, reason: reason))
            case .unreadableName(let bytes):
                scan.unreadableNames.append(
                    UnreadableName(folder: folderPath, tenant: known ? tenant : nil, bytes: bytes))
            case .file(let size, let modified) where known:
                let file = InboxFile(tenant: tenant, path: path, name: entry.name, size: size, modified: modified)
                scan.candidates.append(file)
            case .file:
                let reason = "unknown tenant folder \(tenant)"
                scan.misplaced.append(MisplacedFile(path: path, name: entry.name, reason: reason))
            case .folder:
                let reason = "a folder inside a tenant folder: only files directly in inbox/<tenant>/ are read"
                scan.ignored.append(IgnoredEntry(path: path, reason: reason))
            }
        }
    }

    /// The entries of the folder at `path`, except `.` and `..`, or `nil` (with `errno` set) if it cannot
    /// be read. Unless `followingLink`, a link at `path` is refused (`O_NOFOLLOW`) even if swapped in mid-scan.
    private static func entries(ofFolder path: String, followingLink: Bool) -> [Entry]? {
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followingLink ? 0 : O_NOFOLLOW))
        guard folder >= 0 else { return nil }
        guard let stream = fdopendir(folder) else {
            let failure = errno
            close(folder)
            errno = failure
            return nil
        }
        defer { closedir(stream) }
        var entries: [Entry] = []
        while let record = readdir(stream) {
            let bytes = withUnsafeBytes(of: record.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard bytes != [UInt8(ascii: ".")] && bytes != [UInt8(ascii: "."), UInt8(ascii: ".")] else { continue }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let escaped = UnreadableName.escape(bytes)
                var info = stat()
                let rawName = bytes.map { CChar(bitPattern: $0) } + [0]
                let isFile =
                    fstatat(dirfd(stream), rawName, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFREG
                let verdict: Verdict =
                    isFile && bytes.first != UInt8(ascii: ".")
                    ? .unreadableName(bytes) : .skip(reason: "cannot read: the name is not UTF-8")
                entries.append(Entry(name: escaped, verdict: verdict))
                continue
            }
            var info = stat()
            guard fstatat(dirfd(stream), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno != ENOENT {
                    entries.append(Entry(name: name, verdict: .skip(reason: "cannot read: \(lastError())")))
                }
                continue
            }
            entries.append(Entry(name: name, verdict: Verdict(name: name, info: info)))
        }
        return entries
    }

    /// The text of the current `errno`.
    private static func lastError() -> String {
        String(cString: strerror(errno))
    }

    /// One folder entry, by name, and what the scan makes of it.
    private struct Entry {
        var name: String
        var verdict: Verdict
    }

    /// What the scan makes of a folder entry, judged by its name and by `fstatat` without following a link.
    private enum Verdict {
        case skip(reason: String)
        /// A regular file whose name is not UTF-8; the entry's name is its escaped form.
        case unreadableName([UInt8])
        case file(size: Int64, modified: Date)
        case folder

        init(name: String, info: stat) {
            let lowered = name.lowercased()
            if name.hasPrefix(".") {
                self = .skip(reason: "hidden name: dot-files are never read")
            } else if let suffix = InboxScanner.temporarySuffixes.first(where: { lowered.hasSuffix($0) }) {
                self = .skip(reason: "temporary name (\(suffix)): the upload is not finished")
            } else {
                self = Self(type: info)
            }
        }

        private init(type info: stat) {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let seconds = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1_000_000_000
                self = .file(size: Int64(info.st_size), modified: Date(timeIntervalSince1970: seconds))
            case S_IFDIR: self = .folder
            case S_IFLNK: self = .skip(reason: "symbolic link: links are never followed")
            case S_IFIFO: self = .skip(reason: "not a regular file: a FIFO")
            case S_IFSOCK: self = .skip(reason: "not a regular file: a socket")
            case S_IFCHR: self = .skip(reason: "not a regular file: a character device")
            case S_IFBLK: self = .skip(reason: "not a regular file: a block device")
            default: self = .skip(reason: "not a regular file")
            }
        }
    }
}
