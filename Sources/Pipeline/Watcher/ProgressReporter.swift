import Dispatch
import Foundation
import Synchronization

/// Progress of one running file: a log line and `outbox/<tenant>/<stem>.progress.json` at a steady
/// interval, with rows done, total (the whole file's, also after a resume), rate and the expected
/// time left; removed when the file is done.
///
/// The fan-out's tasks report concurrently; the file is written on a serial queue of its own, in
/// the order the reports were due, so writes never tear or overtake each other, and a write that
/// fails is logged.
final class ProgressReporter: Sendable {
    /// What `<stem>.progress.json` holds.
    struct Snapshot: Codable {
        var file: String
        var done: Int
        var total: Int
        var devicesPerSecond: Double
        var secondsLeft: Double?
        var updatedAt: Date
    }

    private let file: ClaimedFile
    private let path: String
    private let interval: Duration
    private let now: @Sendable () -> Date
    private let log: EventLog
    private let started: Date
    private let lastReport = Mutex<Date?>(nil)
    private let writes = DispatchQueue(label: "bulkdrop.progress")

    init(file: ClaimedFile, outbox: String, interval: Duration, now: @escaping @Sendable () -> Date, log: EventLog) {
        self.file = file
        path = "\(outbox)/\(file.tenant)/\((file.name as NSString).deletingPathExtension).progress.json"
        self.interval = interval
        self.now = now
        self.log = log
        started = now()
    }

    /// Told after each device; reports when the interval has passed or the last device is done.
    var report: Progress {
        { [self] done, total in
            let time = now()
            let due = lastReport.withLock { last in
                guard done == total || last.map({ time.timeIntervalSince($0) >= interval.seconds }) ?? true else {
                    return false
                }
                last = time
                return true
            }
            if due { writes.async { [self] in write(done: done, total: total, at: time) } }
        }
    }

    /// Returns once every report made so far is written, then removes the progress file: the
    /// file is finished (its results are in the outbox) or stopped (its next run reports afresh).
    func finish() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            writes.async { [self] in
                if unlink(path) != 0, errno != ENOENT {
                    let reason = String(cString: strerror(errno))
                    log.event("progress-failed", level: .error, ["file": file.name, "path": path, "reason": reason])
                }
                continuation.resume()
            }
        }
    }

    private func write(done: Int, total: Int, at time: Date) {
        let elapsed = max(time.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Double(total - done) / rate : nil
        let snapshot = Snapshot(
            file: file.name, done: done, total: total, devicesPerSecond: rate, secondsLeft: left, updatedAt: time)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try AtomicFile.write(try encoder.encode(snapshot), to: path)
        } catch {
            log.event("progress-failed", level: .error, ["file": file.name, "path": path, "reason": "\(error)"])
        }
        log.event(
            "progress",
            [
                "tenant": file.tenant, "file": file.name, "done": "\(done)", "total": "\(total)",
                "per_second": String(format: "%.1f", rate), "eta_seconds": left.map { String(Int($0)) } ?? "-",
            ])
    }
}
