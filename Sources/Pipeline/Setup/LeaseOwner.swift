import Foundation
import Glibc

/// A lease owner as written in the store, `host:pid:token`, read back to tell whether the process
/// behind it is gone.
struct LeaseOwner {
    /// This machine's name as lease owners carry it.
    static let thisHost = ProcessInfo.processInfo.hostName

    let host: Substring
    let pid: pid_t?

    init(_ owner: String) {
        let parts = owner.split(separator: ":", omittingEmptySubsequences: false)
        host = parts.count == 3 ? parts[0] : ""
        pid = parts.count == 3 ? pid_t(parts[1]) : nil
    }

    /// The owner, another process than this one, ran on this host and no process has its pid any
    /// more (or this process has it now: a restarted container's pid 1). A pid reused by another
    /// process reads as alive: the lease then simply runs out. (Workers sharing one store must
    /// have distinct host names.)
    var diedOnThisHost: Bool {
        guard host == Self.thisHost, let pid, pid > 0 else { return false }
        return pid == getpid() || (kill(pid, 0) == -1 && errno == ESRCH)
    }
}
