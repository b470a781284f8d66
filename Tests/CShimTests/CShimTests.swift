import CCurl
import CSQLite
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
        var database: OpaquePointer?
        #expect(sqlite3_open(":memory:", &database) == SQLITE_OK)
        defer { sqlite3_close(database) }
        #expect(sqlite3_exec(database, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", nil, nil, nil) == SQLITE_OK)
        #expect(csqlite_transient() != nil)
    }
}
