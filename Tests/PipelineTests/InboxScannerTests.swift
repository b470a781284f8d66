import Foundation
import Glibc
import Pipeline
import Testing

/// The inbox scan: which drops become candidates, which are misplaced, what is skipped and why, and
/// when the settle tracker lets a file go. Every test has its own folder; times are set, never waited for.
@Suite("inbox scanner")
struct InboxScannerTests {
    static let tenants: Set<String> = ["acme", "nörd"]
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func missingInboxIsAnEmptyScan() throws {
        let folder = try ScratchFolder()
        let scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        #expect(scan.candidates.isEmpty && scan.misplaced.isEmpty && scan.ignored.isEmpty)
    }

    @Test(arguments: [
        (".upload.csv", "hidden name: dot-files are never read"),
        (".csv", "hidden name: dot-files are never read"),
        ("fleet.csv.filepart", "temporary name (.filepart): the upload is not finished"),
        ("fleet.csv.PART", "temporary name (.part): the upload is not finished"),
        ("fleet.Tmp", "temporary name (.tmp): the upload is not finished"),
        ("fleet.csv.partial", "temporary name (.partial): the upload is not finished"),
    ])
    func temporaryAndHiddenNamesAreIgnored(name: String, reason: String) throws {
        let folder = try ScratchFolder()
        for place in ["inbox/acme/", "inbox/globex/", "inbox/"] { try folder.file(place + name) }
        let scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        #expect(scan.candidates.isEmpty && scan.misplaced.isEmpty, "still just ignored, even when misplaced")
        #expect(scan.ignored.map(\.reason) == [reason, reason, reason])
    }

    @Test func specialFilesAndFoldersInsideATenantFolderAreIgnored() throws {
        let folder = try ScratchFolder()
        try folder.file("inbox/acme/old/fleet.csv")
        #expect(mkfifo(folder.path("inbox/acme/pipe.csv"), 0o600) == 0)
        #expect(mkfifo(folder.path("inbox/pipe.csv"), 0o600) == 0)
        let scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        #expect(scan.candidates.isEmpty && scan.misplaced.isEmpty)
        #expect(
            scan.ignored == [
                IgnoredEntry(
                    path: folder.path("inbox/acme/old"),
                    reason: "a folder inside a tenant folder: only files directly in inbox/<tenant>/ are read"),
                IgnoredEntry(path: folder.path("inbox/acme/pipe.csv"), reason: "not a regular file: a FIFO"),
                IgnoredEntry(path: folder.path("inbox/pipe.csv"), reason: "not a regular file: a FIFO"),
            ])
    }

    @Test func symbolicLinksAreNeverFollowed() throws {
        let folder = try ScratchFolder()
        let secret = try folder.file("outside/secret.csv")
        try folder.file("outside/fleet.csv")
        try folder.file("inbox/acme/real.csv")
        try folder.link("inbox/acme/secret.csv", to: secret)
        try folder.link("inbox/acme/alias.csv", to: folder.path("inbox/acme/real.csv"))
        try folder.link("inbox/nörd", to: folder.path("outside"))
        try folder.link("inbox/globex", to: folder.path("outside"))
        try folder.link("inbox/top.csv", to: secret)
        let scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        #expect(scan.candidates.map(\.path) == [folder.path("inbox/acme/real.csv")])
        #expect(scan.misplaced.isEmpty)
        let linked = ["inbox/acme/alias.csv", "inbox/acme/secret.csv", "inbox/globex", "inbox/nörd", "inbox/top.csv"]
        #expect(scan.ignored.map(\.path) == linked.map(folder.path))
        #expect(scan.ignored.allSatisfy { $0.reason == "symbolic link: links are never followed" })
    }

    @Test func filesOutsideAKnownTenantFolderAreMisplaced() throws {
        let folder = try ScratchFolder()
        try folder.file("inbox/fleet.csv")
        try folder.file("inbox/globex/fleet.csv")
        try folder.file("inbox/Acme/fleet.csv")
        try folder.file("inbox/globex/.hidden.csv")
        let scan = InboxScanner.scan(inbox: folder.path("inbox") + "/", tenants: Self.tenants)
        #expect(scan.candidates.isEmpty)
        #expect(
            scan.misplaced == [
                MisplacedFile(
                    path: folder.path("inbox/Acme/fleet.csv"), name: "fleet.csv", reason: "unknown tenant folder Acme"),
                MisplacedFile(
                    path: folder.path("inbox/fleet.csv"), name: "fleet.csv",
                    reason: "not in a tenant folder: put it in inbox/<tenant>/"),
                MisplacedFile(
                    path: folder.path("inbox/globex/fleet.csv"), name: "fleet.csv",
                    reason: "unknown tenant folder globex"),
            ])
        #expect(scan.ignored.map(\.path) == [folder.path("inbox/globex/.hidden.csv")])
    }

    @Test func oddNamesAreOrdinaryNames() throws {
        let folder = try ScratchFolder()
        let names = ["fleet march 2026.csv", "flotte-été-日本.csv", "-rf.csv", "a..b.csv", "part.csv", "x.parts", "tmp"]
        for (index, name) in names.enumerated() {
            try folder.file("inbox/nörd/" + name, bytes: index + 1, modified: Self.start + Double(index))
        }
        let scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        #expect(scan.misplaced.isEmpty && scan.ignored.isEmpty)
        let expected = names.enumerated().map { index, name in
            InboxFile(
                tenant: "nörd", path: folder.path("inbox/nörd/" + name), name: name, size: Int64(index + 1),
                modified: Self.start + Double(index))
        }
        #expect(scan.candidates == expected)
    }

    @Test func aNameThatIsNotUTF8IsReportedWithItsBytesNotMangled() throws {
        let folder = try ScratchFolder()
        try folder.file("inbox/acme/fleet.csv")
        let raw: [CChar] = Array(folder.path("inbox/acme/fl").utf8CString.dropLast()) + [-1, 0x2E, 0x63, 0x73, 0x76, 0]
        let descriptor = open(raw, O_CREAT | O_WRONLY, 0o600)
        try #require(descriptor >= 0)
        close(descriptor)
        let scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        #expect(scan.candidates.map(\.name) == ["fleet.csv"])
        #expect(scan.ignored.isEmpty)
        let unreadable = UnreadableName(
            folder: folder.path("inbox/acme"), tenant: "acme", bytes: Array("fl".utf8) + [0xFF] + Array(".csv".utf8))
        #expect(scan.unreadableNames == [unreadable])
        #expect(unreadable.escaped == "fl\\xFF.csv")
    }

    @Test func escapingKeepsValidUTF8AndShowsEveryOtherByte() {
        func escape(_ bytes: [UInt8]) -> String { UnreadableName(folder: "", tenant: nil, bytes: bytes).escaped }
        #expect(escape(Array("caf\u{E9}.csv".utf8)) == "caf\u{E9}.csv")
        #expect(escape(Array("caf".utf8) + [0xE9] + Array(".csv".utf8)) == "caf\\xE9.csv")
        #expect(escape([0x61, 0x0A, 0x62, 0xC3]) == "a\\x0Ab\\xC3")
    }

    @Test func candidatesAreInArrivalOrderToTheSubSecond() throws {
        let folder = try ScratchFolder()
        try folder.file("inbox/acme/c.csv", modified: Self.start + 0.75)
        try folder.file("inbox/nörd/b.csv", modified: Self.start + 0.25)
        try folder.file("inbox/acme/b.csv", modified: Self.start + 0.25)
        try folder.file("inbox/acme/a.csv", modified: Self.start + 0.5)
        try folder.file("inbox/acme/z.csv", modified: Self.start - 60)
        let scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        let order = ["acme/z.csv", "acme/b.csv", "nörd/b.csv", "acme/a.csv", "acme/c.csv"]
        #expect(scan.candidates.map(\.path) == order.map { folder.path("inbox/" + $0) })
        #expect(
            scan.candidates.map(\.modified.timeIntervalSince1970) == [-60, 0.25, 0.25, 0.5, 0.75].map { 1.8e9 + $0 })
    }

    @Test func aGrowingFileIsReadyOnlyOnceItStaysUnchangedForTheInterval() throws {
        let folder = try ScratchFolder()
        var tracker = SettleTracker(settleInterval: .seconds(5))
        let path = try folder.file("inbox/acme/fleet.csv", bytes: 100, modified: Self.start - 86_400 * 365)
        func ready(after seconds: Double) -> [String] {
            let candidates = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants).candidates
            return tracker.ready(candidates, now: Self.start + seconds).map(\.path)
        }
        #expect(ready(after: 0).isEmpty, "first seen; its year-old mtime does not count")
        #expect(ready(after: 3).isEmpty)
        try folder.file("inbox/acme/fleet.csv", bytes: 200, modified: Self.start - 86_400 * 365)
        #expect(ready(after: 6).isEmpty, "it grew: the clock restarts")
        try folder.touch(path, modified: Self.start + 7)
        #expect(ready(after: 10).isEmpty, "same size, new mtime: the clock restarts")
        #expect(ready(after: 14.9).isEmpty)
        #expect(ready(after: 15) == [path])
        #expect(ready(after: 16) == [path], "still ready while unclaimed")
    }

    @Test func anUploadRenamedToItsFinalNameIsReadyOnceSettled() throws {
        let folder = try ScratchFolder()
        var tracker = SettleTracker(settleInterval: .seconds(2))
        let partial = try folder.file("inbox/acme/fleet.csv.filepart", bytes: 500, modified: Self.start)
        var scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        #expect(scan.candidates.isEmpty && scan.ignored.map(\.path) == [partial])
        #expect(tracker.ready(scan.candidates, now: Self.start).isEmpty)

        let final = folder.path("inbox/acme/fleet.csv")
        #expect(rename(partial, final) == 0)
        scan = InboxScanner.scan(inbox: folder.path("inbox"), tenants: Self.tenants)
        #expect(scan.candidates.map(\.path) == [final] && scan.ignored.isEmpty)
        #expect(tracker.ready(scan.candidates, now: Self.start + 1).isEmpty)
        #expect(tracker.ready(scan.candidates, now: Self.start + 3) == scan.candidates)

        tracker.forget(final)
        #expect(tracker.ready(scan.candidates, now: Self.start + 3).isEmpty, "claimed: the same path starts over")
    }

    @Test func trackerForgetsVanishedPathsAndKeepsTheCandidatesOrder() {
        var tracker = SettleTracker(settleInterval: .seconds(10))
        let files = ["b.csv", "a.csv"].map {
            InboxFile(tenant: "acme", path: "/inbox/acme/" + $0, name: $0, size: 1, modified: Self.start)
        }
        #expect(tracker.ready(files, now: Self.start).isEmpty)
        #expect(tracker.ready([files[0]], now: Self.start + 10) == [files[0]], "a.csv is gone, so forgotten")
        #expect(tracker.ready(files, now: Self.start + 20) == [files[0]], "a.csv came back and starts over")
        #expect(tracker.ready(files, now: Self.start + 30) == files)
        #expect(tracker.ready(files, now: Self.start + 5).isEmpty, "the clock was set back: both start over")
        var eager = SettleTracker(settleInterval: .zero)
        #expect(eager.ready(files, now: Self.start) == files, "no interval, no wait")
    }
}

/// A temporary folder for one test, removed when the test is done.
private final class ScratchFolder {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-scan-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `bytes` bytes at `relative`, making its folders, and sets its modification time; returns its path.
    @discardableResult
    func file(_ relative: String, bytes: Int = 1, modified: Date = InboxScannerTests.start) throws -> String {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(repeating: UInt8(ascii: "x"), count: bytes).write(to: url)
        try touch(url.path, modified: modified)
        return url.path
    }

    /// Sets the modification time of `path` to the nanosecond.
    func touch(_ path: String, modified: Date) throws {
        let seconds = modified.timeIntervalSince1970.rounded(.down)
        let nanoseconds = Int((modified.timeIntervalSince1970 - seconds) * 1_000_000_000)
        let time = timespec(tv_sec: Int(seconds), tv_nsec: nanoseconds)
        try #require(utimensat(AT_FDCWD, path, [time, time], 0) == 0)
    }

    /// Makes a symbolic link at `relative` that points to `target`.
    func link(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: target)
    }
}
