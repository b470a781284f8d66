import Foundation
import Store
import TestSupport
import Testing

/// Several real processes on one state directory: two `bulkdrop run` services, `process` beside
/// a service, a service killed inside a claim or after its file was taken away, and a file still
/// being written. Each piece of work is done by one process, once.
@Suite("bulkdrop run: one worker per piece of work", .serialized)
struct SharedWorkTests {
    static let devices = 200

    /// Devices ACTIVATED on a simulator with 20 ms latency, and a file deactivating them all but
    /// every 50th, which asks for a status that does not exist (REJECTED, so there is an email).
    static func world(devices: Int = devices, settings: String = "", filler: Int = 0) async throws -> ServiceWorld {
        try await ServiceWorld(
            devices: devices, settings: settings,
            file: (
                "status-update_shared.csv", "iccid,target_status" + (filler > 0 ? ",note" : ""),
                { index in
                    "\(ServiceWorld.iccid(index)),\(index % 50 == 0 ? "SLEEPING" : "DEACTIVATED")"
                        + (filler > 0 ? "," + String(repeating: "x", count: filler) : "")
                }
            ))
    }

    /// The emails written to the state directory's mail folder (no mail server is configured).
    static func emails(_ world: ServiceWorld) throws -> [String] {
        let mail = world.folder.appendingPathComponent("var/mail")
        guard FileManager.default.fileExists(atPath: mail.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: mail.path).filter { $0.hasSuffix(".eml") }.sorted()
    }

    static func outboxFiles(_ world: ServiceWorld, ending suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: world.folder.appendingPathComponent("outbox/acme").path)
            .filter { $0.hasSuffix(suffix) }
    }

    /// Every valid row PROCESSED and its device edited once; every 50th REJECTED and not edited.
    static func checkEveryDeviceOnce(_ world: ServiceWorld) throws {
        let rows = try world.resultRows()
        #expect(rows.count == world.devices)
        for row in rows {
            #expect(row.outcome == ((row.row - 1) % 50 == 0 ? "REJECTED" : "PROCESSED"), "row \(row.row): \(row)")
        }
        let edits = try world.editsByDevice()
        #expect(edits.count == world.devices - (world.devices + 49) / 50, "every valid device was edited")
        #expect(edits.filter { $0.value != 1 } == [:], "no device was edited twice")
    }

    /// Reads `child`'s lines to their end, yielding to `trigger` at each line that `matches`.
    static func drain(_ child: ChildProcess, trigger: AsyncStream<Void>.Continuation, on matches: String) async throws
        -> [String]
    {
        var lines: [String] = []
        while let line = try await child.nextLine(within: .seconds(300), waitingFor: "a line of the service") {
            lines.append(line)
            if line.contains(matches) { trigger.yield() }
        }
        return lines
    }

    /// Runs the services until they logged `matches` `count` times, then stops them all; every
    /// line they wrote.
    static func runUntil(_ matches: String, count: Int = 1, _ services: [ChildProcess]) async throws -> [String] {
        let (seen, trigger) = AsyncStream<Void>.makeStream()
        return try await withThrowingTaskGroup(of: [String].self) { group in
            for service in services { group.addTask { try await drain(service, trigger: trigger, on: matches) } }
            var left = count
            for await _ in seen {
                left -= 1
                if left == 0 { break }
            }
            for service in services { service.send(SIGTERM) }
            var lines: [String] = []
            for try await some in group { lines += some }
            for service in services { #expect(await service.exit().status == 0) }
            return lines
        }
    }

    @Test func twoServicesOnOneFileEditEachDeviceOnceAndSendOneEmail() async throws {
        let world = try await Self.world()
        let lines = try await Self.runUntil("event=notified", [try world.service([]), try world.service([])])
        #expect(lines.filter { $0.contains("event=finished") }.count == 1, "one service finished the file")
        #expect(lines.filter { $0.contains("event=notified") }.count == 1, "one email was sent")
        #expect(!lines.contains { $0.contains("level=error") }, "\(lines.filter { $0.contains("level=error") })")
        try Self.checkEveryDeviceOnce(world)
        #expect(try Self.outboxFiles(world, ending: ".results.csv") == ["status-update_shared.results.csv"])
        #expect(try Self.emails(world).count == 1)
        await world.finish()
    }

    @Test func processBesideAServiceSendsEachEmailOnce() async throws {
        let world = try await Self.world()
        let service = try world.service([])
        _ = try await service.line { $0.contains("event=notified") }  // the dropped file's email
        let side = world.folder.appendingPathComponent("status-update_side.csv").path
        try "iccid,target_status\n\(ServiceWorld.iccid(1)),ACTIVATED\n\(ServiceWorld.iccid(2)),SLEEPING\n".write(
            toFile: side, atomically: true, encoding: .utf8)
        let processed = try await BinaryRunner.run(
            ["process", side, "--tenant", "acme", "--config", world.config],
            environment: [ServiceWorld.keyVariable: "demo-key"])
        #expect(processed.status == 1, "a row was rejected: \(processed.errors)")
        let (_, trigger) = AsyncStream<Void>.makeStream()
        service.send(SIGTERM)
        let lines = try await Self.drain(service, trigger: trigger, on: "event=notified")
        #expect(await service.exit().status == 0)
        let store = try await Store.open(at: world.folder.appendingPathComponent("var/bulkdrop.sqlite").path)
        let sent = try await store.read { connection in try connection.notifications(status: .sent) }
        let waiting = try await store.read { connection in try connection.notifications(status: .pending) }
        await store.close()
        #expect(sent.count == 2 && waiting.isEmpty, "one email per bulk change, all sent: \(sent.map(\.dedupeKey))")
        #expect(sent.allSatisfy { $0.attempts == 1 }, "each sent by one process, once: \(sent.map(\.attempts))")
        #expect(try Self.emails(world).count == 2)
        #expect(!lines.contains { $0.contains("level=error") }, "\(lines.filter { $0.contains("level=error") })")
        await world.finish()
    }

    @Test func sigkillInsideTheClaimOfALargeFileIsResumedOnRestart() async throws {
        // 200 rows of 40 kB each: hashing 8 MB keeps the claim open long enough to be killed in it.
        let world = try await Self.world(filler: 40_000)
        let service = try world.service([])
        #expect(try await service.line { $0.contains("event=claimed") } != nil)
        service.send(SIGKILL)
        #expect(await service.exit().bySignal)
        #expect(try world.editsByDevice().isEmpty, "killed before any device")
        let status = try await BinaryRunner.run(["status", "--config", world.config])
        #expect(status.output.contains("status-update_shared.csv"), "status lists the claimed file: \(status.output)")
        let lines = try await Self.runUntil("event=finished", [try world.service([])])
        #expect(lines.contains { $0.contains("event=resuming") }, "\(lines)")
        try Self.checkEveryDeviceOnce(world)
        await world.finish()
    }

    @Test func aClaimedFileRemovedAfterACrashIsFinishedFromTheStore() async throws {
        let world = try await Self.world()
        let service = try world.service([])
        _ = try await service.line { line in
            line.contains("event=progress")
                && (Int(line.split(separator: " ").first { $0.hasPrefix("done=") }?.dropFirst(5) ?? "") ?? 0) >= 40
        }
        service.send(SIGKILL)
        #expect(await service.exit().bySignal)
        let processing = world.folder.appendingPathComponent("var/processing/acme").path
        for claim in try FileManager.default.contentsOfDirectory(atPath: processing) {
            try FileManager.default.removeItem(atPath: processing + "/" + claim + "/status-update_shared.csv")
        }
        let lines = try await Self.runUntil("event=notified", [try world.service([])])
        #expect(lines.contains { $0.contains("event=finished") })
        try Self.checkEveryDeviceOnce(world)
        let emails = try Self.emails(world)
        #expect(emails.count == 1)
        let email = try String(
            contentsOf: world.folder.appendingPathComponent("var/mail/" + emails[0]), encoding: .utf8)
        #expect(!email.contains("none of its rows"), "no message denies the changes applied")
        await world.finish()
    }

    @Test func rowsWrittenAfterTheClaimAreReportedAndAppliedAsTheirOwnFile() async throws {
        let world = try await Self.world(devices: 40)
        // The partner's writer has written half the file when the service takes it, and goes on.
        let path = world.folder.appendingPathComponent("inbox/acme/status-update_shared.csv").path
        let lines = (0..<40).map { "\(ServiceWorld.iccid($0)),\($0 == 0 ? "SLEEPING" : "DEACTIVATED")\n" }
        try ("iccid,target_status\n" + lines[0..<20].joined()).write(toFile: path, atomically: true, encoding: .utf8)
        let writer = try #require(FileHandle(forWritingAtPath: path))
        let service = try world.service([])
        _ = try await service.line { $0.contains("event=progress") }
        try writer.seekToEnd()
        try writer.write(contentsOf: Data(lines[20...].joined().utf8))
        try writer.close()
        let (seen, trigger) = AsyncStream<Void>.makeStream()
        async let rest = Self.drain(service, trigger: trigger, on: "event=finished")
        var finished = seen.makeAsyncIterator()
        _ = await finished.next()  // the rest of the first file
        _ = await finished.next()  // the continuation
        service.send(SIGTERM)
        let logged = try await rest
        #expect(await service.exit().status == 0)
        #expect(logged.contains { $0.contains("event=changed-after-claim") })
        let summary = try String(contentsOfFile: world.summary, encoding: .utf8)
        #expect(summary.contains("changed after it was claimed"), "\(summary)")
        #expect(try world.resultRows().count == 20, "the first file's rows are those read at its claim")
        let edits = try world.editsByDevice()
        #expect(edits.count == 39 && edits.values.allSatisfy { $0 == 1 }, "every device once: \(edits)")
        #expect(try Self.outboxFiles(world, ending: ".results.csv").count == 2)
        await world.finish()
    }
}

/// JSON input through `bulkdrop process`: a key given twice, and a file over the configured cap.
@Suite("bulkdrop process: JSON input")
struct JSONInputProcessTests {
    @Test func aDeviceWithAKeyGivenTwiceIsRejectedAndNotSent() async throws {
        let world = try await ServiceWorld(
            devices: 2, file: ("status-update_unused.csv", "iccid,target_status", { _ in "" }))
        let file = world.folder.appendingPathComponent("status-update_twice.json").path
        let first = ServiceWorld.iccid(0)
        let second = ServiceWorld.iccid(1)
        try
            #"{"changeType": "status-update", "devices": [{"iccid": "\#(first)", "iccid": "\#(second)", "target_status": "DEACTIVATED"}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await BinaryRunner.run(
            ["process", file, "--tenant", "acme", "--config", world.config],
            environment: [ServiceWorld.keyVariable: "demo-key"])
        #expect(result.status == 1, "\(result.errors)")
        let results = try String(
            contentsOf: world.folder.appendingPathComponent("outbox/acme/status-update_twice.results.csv"),
            encoding: .utf8)
        #expect(results.contains("REJECTED") && results.contains(#"duplicate key ""iccid"""#), "\(results)")
        #expect(try world.editsByDevice().isEmpty, "neither device was changed")
        await world.finish()
    }

    @Test func aJSONFileOverTheCapIsRefusedNamingIt() async throws {
        let world = try await ServiceWorld(
            devices: 1, settings: "\"maxJSONFileMegabytes\": 1",
            file: ("status-update_unused.csv", "iccid,target_status", { _ in "" }))
        let file = world.folder.appendingPathComponent("status-update_big.json").path
        let device = #"{"iccid": "\#(ServiceWorld.iccid(0))", "target_status": "DEACTIVATED"}"#
        let devices = Array(repeating: device, count: 30_000).joined(separator: ",")
        try #"{"changeType": "status-update", "devices": [\#(devices)]}"#.write(
            toFile: file, atomically: true, encoding: .utf8)
        let result = try await BinaryRunner.run(
            ["process", file, "--tenant", "acme", "--config", world.config],
            environment: [ServiceWorld.keyVariable: "demo-key"])
        #expect(result.status != 0)
        #expect(result.errors.contains("1 MB") && result.errors.contains("maxJSONFileMegabytes"), "\(result.errors)")
        #expect(try world.editsByDevice().isEmpty)
        await world.finish()
    }
}
