import CCurl
import CSQLite
import Foundation
import Testing

/// The C system libraries are installed, link, and are recent enough for what later targets use.
@Suite("C shims")
struct CShimTests {
    @Test func libcurlLinksWithSMTPAndTLS() throws {
        let info = try #require(ccurl_version_info())
        #expect(info.pointee.version_num >= 0x07_4400)  // 7.68: CURLOPT_MAIL_RCPT_ALLLOWFAILS is later
        let protocols = Set(
            sequence(state: info.pointee.protocols) { pointer -> String? in
                guard let entry = pointer.pointee else { return nil }
                pointer += 1
                return String(cString: entry)
            })
        #expect(protocols.isSuperset(of: ["http", "https", "smtp", "smtps"]))
        #expect(info.pointee.features & CURL_VERSION_SSL != 0)
    }

    @Test func setoptShimsReachVariadicCalls() throws {
        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        #expect(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1) == CURLE_OK)
        #expect(ccurl_setopt_ptr(handle, CURLOPT_URL, "http://127.0.0.1:1/") == CURLE_OK)
        #expect(ccurl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, 1 << 20) == CURLE_OK)
    }

    @Test func sqliteLinksWithWALSupport() throws {
        #expect(sqlite3_libversion_number() >= 3_035_000)  // RETURNING and ALTER TABLE DROP COLUMN
        #expect(csqlite_transient() != nil)
        // WAL needs a real file: an in-memory database always answers "memory".
        let path = NSTemporaryDirectory() + "cshim-wal-\(UUID().uuidString).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { _ = unlink(path + suffix) }
        }
        var database: OpaquePointer?
        defer { sqlite3_close(database) }
        try #require(sqlite3_open(path, &database) == SQLITE_OK)
        #expect(try Self.text(of: "PRAGMA journal_mode=WAL", in: database) == "wal")
        #expect(sqlite3_exec(database, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", nil, nil, nil) == SQLITE_OK)
        #expect(try Self.text(of: "PRAGMA journal_mode", in: database) == "wal", "the mode stays once set")
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the write went to the log")
    }

    /// The first column of the first row `sql` returns.
    static func text(of sql: String, in database: OpaquePointer?) throws -> String? {
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        try #require(sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK)
        try #require(sqlite3_step(statement) == SQLITE_ROW)
        return sqlite3_column_text(statement, 0).map { String(cString: $0) }
    }
}
