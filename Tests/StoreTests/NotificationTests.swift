import Foundation
import Store
import TestSupport
import Testing

@Suite("Store: notification spool")
struct NotificationTests {
    let now = utc("2026-11-27T10:00:00Z")

    func record(_ key: String) -> NotificationRecord {
        NotificationRecord(
            dedupeKey: key, recipients: ["a@example.com", "b@example.com"], subject: "3 rows failed",
            body: "See the attachment.", attachmentName: "fleet.errors.csv", attachment: "\u{FEFF}iccid,error\r\n",
            nextAttemptAt: now, createdAt: now)
    }

    @Test(arguments: TestEngine.allCases) func spoolingTheSameKeyTwiceKeepsOne(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            let (first, second) = try await store.write { [self] connection in
                (
                    try connection.spoolNotification(record("bulk-change-1")),
                    try connection.spoolNotification(record("bulk-change-1"))
                )
            }
            #expect(first != nil)
            #expect(second == nil)
            let due = try await store.read { [now] connection in try connection.dueNotifications(asOf: now) }
            #expect(due.count == 1)
            #expect(due[0].recipients == ["a@example.com", "b@example.com"])
            #expect(due[0].attachment == "\u{FEFF}iccid,error\r\n")
        }
    }

    @Test(arguments: TestEngine.allCases) func failedAttemptsWaitForTheirTimeThenSendOrDie(on engine: TestEngine)
        async throws
    {
        try await withStore(on: engine) { store in
            let spooled = try await store.write { [self] connection in
                try connection.spoolNotification(record("file-9"))
            }
            let id = try #require(spooled)
            let later = now.addingTimeInterval(60)
            try await store.write { connection in
                try connection.markNotificationFailed(
                    id: id, error: "connection refused", nextAttemptAt: later, giveUp: false)
            }
            let early = try await store.read { [now] connection in try connection.dueNotifications(asOf: now) }
            #expect(early.isEmpty)
            let due = try await store.read { connection in try connection.dueNotifications(asOf: later) }
            #expect(due.map(\.attempts) == [1])
            #expect(due.first?.lastError == "connection refused")
            try await store.write { connection in
                try connection.markNotificationFailed(id: id, error: "still down", nextAttemptAt: later, giveUp: true)
            }
            let dead = try await store.read { connection in try connection.notifications(status: .dead) }
            #expect(dead.map(\.id) == [id])
            let after = try await store.read { connection in try connection.dueNotifications(asOf: later) }
            #expect(after.isEmpty)
        }
    }

    @Test(arguments: TestEngine.allCases) func sentNotificationsAreNotDueAgain(on engine: TestEngine) async throws {
        try await withStore(on: engine) { store in
            let spooled = try await store.write { [self] connection in
                try connection.spoolNotification(record("file-1"))
            }
            let id = try #require(spooled)
            try await store.write { [now] connection in try connection.markNotificationSent(id: id, at: now) }
            let due = try await store.read { [now] connection in try connection.dueNotifications(asOf: now) }
            #expect(due.isEmpty)
            let sent = try await store.read { connection in try connection.notifications(status: .sent) }
            #expect(sent.first?.sentAt != nil)
        }
    }
}
