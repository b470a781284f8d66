import Foundation
import Glibc
import Pipeline

/// `/readyz`: whether this worker can do its job now. The store answers, the inbox and each
/// tenant's folder in it can be read, and no provider's last calls all failed (no answer, a 5xx,
/// refused credentials; `failuresBeforeNotReady` in a row, so one failed call at the end of a
/// file does not leave the worker unready until the next file). Ready only when every check passes.
struct Readiness: Sendable {
    /// One check: what was checked, whether it passed, and what was seen.
    struct Check: Sendable {
        var name: String
        var passed: Bool
        var detail: String
    }

    var checks: [Check]

    var isReady: Bool { checks.allSatisfy(\.passed) }

    /// `ready` or `not ready`, then one line per check: `ok store: answered in 2 ms`.
    var text: String {
        ([isReady ? "ready" : "not ready"] + checks.map { "\($0.passed ? "ok" : "FAIL") \($0.name): \($0.detail)" })
            .joined(separator: "\n") + "\n"
    }

    /// How many failed calls in a row make a provider fail the check.
    static let failuresBeforeNotReady = 3

    /// Runs every check; blocks the calling thread (a connection thread) for the store's answer,
    /// which counts as unreachable after `storeTimeLimit`.
    static func check(_ workspace: Workspace, storeTimeLimit: Duration) -> Readiness {
        var checks = [storeCheck(workspace, timeLimit: storeTimeLimit)]
        let inbox = workspace.configuration.inbox
        checks.append(folderCheck("inbox", inbox))
        for tenant in workspace.configuration.tenants {
            checks.append(folderCheck("inbox of \(tenant)", "\(inbox)/\(tenant)"))
        }
        let calls = workspace.callMetrics.snapshot()
        for provider in workspace.configuration.serviceProviders {
            guard let called = calls[provider.name] else {
                checks.append(Check(name: "provider \(provider.name)", passed: true, detail: "no call yet"))
                continue
            }
            let streak = called.failuresInARow > 1 ? " (\(called.failuresInARow) failed calls in a row)" : ""
            checks.append(
                Check(
                    name: "provider \(provider.name)", passed: called.failuresInARow < failuresBeforeNotReady,
                    detail: "last call \(Timestamps.iso8601(called.lastCall.at)): \(called.lastCall.summary)\(streak)"))
        }
        return Readiness(checks: checks)
    }

    private static func storeCheck(_ workspace: Workspace, timeLimit: Duration) -> Check {
        let started = ContinuousClock.now
        do {
            _ = try runBlocking(timeLimit: timeLimit) {
                try await workspace.store.read { try $0.tenantNames().count }
            }
            let milliseconds = Int(((ContinuousClock.now - started).seconds * 1000).rounded())
            return Check(name: "store", passed: true, detail: "answered in \(milliseconds) ms")
        } catch {
            return Check(name: "store", passed: false, detail: "\(error)")
        }
    }

    private static func folderCheck(_ name: String, _ path: String) -> Check {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return Check(name: name, passed: false, detail: "\(path) is not a folder")
        }
        guard access(path, R_OK | X_OK) == 0 else {
            return Check(name: name, passed: false, detail: "\(path): \(String(cString: strerror(errno)))")
        }
        return Check(name: name, passed: true, detail: "\(path) is readable")
    }
}
