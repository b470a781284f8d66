import BulkChange
import CSV
import Foundation
import Testing

@Suite("InputFile from CSV")
struct InputFileCSVTests {
    static let name = "status-update_2026-03-10_fleet.csv"
    static let iccid = Sample.iccid
    static let other = Sample.short

    /// Reads `text` whole, one byte at a time and in odd chunks, checks all three agree, and returns it.
    func read(_ text: String, name: String = name, prefix: [UInt8] = []) throws -> InputFile {
        try read(bytes: prefix + Array(text.utf8), name: name)
    }

    /// Reads `bytes` as `read(_:name:prefix:)` does.
    func read(bytes: [UInt8], name: String = name) throws -> InputFile {
        let whole = try InputFile.read(csv: bytes, fileName: name)
        for chunkSize in [1, 3, 7] {
            #expect(try InputFile.read(csv: MemoryByteSource(bytes, chunkSize: chunkSize), fileName: name) == whole)
        }
        return whole
    }

    /// The error reading `text` throws, or `nil`.
    func error(_ text: String, name: String = name) -> InputFileError? {
        readError { () throws(InputFileError) in try InputFile.read(csv: Array(text.utf8), fileName: name) }
    }

    @Test func rowsKeepCellsAndTrimFields() throws {
        let file = try read(
            "ICCID,Target Status,Reason\r\n\(Self.iccid),Deactivated,  lost  \r\n\(Self.other),INVENTORY,\r\n")
        #expect(file.changeType == .statusUpdate)
        #expect(file.serviceProvider == nil)
        #expect(file.columns == ["ICCID", "Target Status", "Reason"])
        #expect(
            file.rows == [
                InputRow(
                    number: 1, line: 2, values: [Self.iccid, "Deactivated", "  lost  "],
                    fields: ["iccid": Self.iccid, "target_status": "Deactivated", "reason": "lost"]),
                InputRow(
                    number: 2, line: 3, values: [Self.other, "INVENTORY", ""],
                    fields: ["iccid": Self.other, "target_status": "INVENTORY"]),
            ])
        #expect(file.warnings.isEmpty)
    }

    @Test func byteOrderMarkSemicolonsAndAliases() throws {
        let file = try read(
            "SIM Number;New Status;Effective\n\(Self.iccid);activation ready;2026-04-01\n", prefix: [0xEF, 0xBB, 0xBF])
        #expect(file.columns == ["SIM Number", "New Status", "Effective"])
        #expect(
            file.rows.map(\.fields) == [
                ["iccid": Self.iccid, "target_status": "activation ready", "effective_date": "2026-04-01"]
            ])
    }

    @Test func excelSepLineMovesTheHeader() throws {
        let file = try read("sep=|\nICCID|Status\n\(Self.iccid)|RETIRED\n")
        #expect(file.rows.map(\.line) == [3])
        #expect(
            error("sep=|\nSIM Nr|Status\n")?.description.hasPrefix("\(Self.name):2: the header has no ICCID") == true)
    }

    @Test func unknownColumnsAreIgnoredWithAWarning() throws {
        let file = try read("ICCID,Status,Notes,,Colour\n\(Self.iccid),RETIRED,spare,,red\n")
        #expect(file.rows.map(\.fields) == [["iccid": Self.iccid, "target_status": "RETIRED"]])
        #expect(
            file.warnings.map(\.description) == [
                "\(Self.name):1: warning: ignored columns \"Notes\", \"Colour\"; the status-update columns are "
                    + "iccid, target_status, reason, effective_date"
            ])
    }

    @Test func droppedAgainErrorsFileIsAccepted() throws {
        let file = try read(
            "row,ICCID,Target Status,outcome,error\n"
                + "3,\(Self.iccid),Deactivated,REJECTED,\"target_status \"\"DEACTIVATE\"\": not a SIM status\"\n")
        #expect(file.warnings.isEmpty)
        #expect(file.rows.map(\.fields) == [["iccid": Self.iccid, "target_status": "Deactivated"]])
        #expect(file.rows.map(\.problem) == [nil])
    }

    @Test func missingRequiredColumnNamesItsAliases() {
        #expect(
            error("SIM Nr,Status\n")?.description
                == "\(Self.name):1: the header has no ICCID column (also accepted: SIM, SIM Number, ICCID Number); "
                + "add it, or check that this line is the header")
        #expect(
            error("ICCID,Reason\n")?.description
                == "\(Self.name):1: the header has no Target Status column (also accepted: Status, New Status); "
                + "add it, or check that this line is the header")
    }

    @Test func twoColumnsForOneField() {
        #expect(
            error("ICCID,Status,SIM\n")
                == .duplicateColumn(fileName: Self.name, line: 1, field: "iccid", headers: ["ICCID", "SIM"]))
        #expect(
            error("ICCID,Status,SIM\n")?.description
                == "\(Self.name):1: columns \"ICCID\" and \"SIM\" are both iccid; keep one")
    }

    @Test func wrongFieldCountIsARowProblem() throws {
        let file = try read("ICCID,Status\n\(Self.iccid),RETIRED,oops,again\n\(Self.other)\n")
        #expect(
            file.rows.map(\.problem?.description) == [
                "row has 4 fields, the header has 2; put quotes around values that contain the delimiter",
                "row has 1 field, the header has 2; put quotes around values that contain the delimiter",
            ])
        #expect(file.rows.map(\.fields) == [["iccid": Self.iccid, "target_status": "RETIRED"], ["iccid": Self.other]])
        let verdicts = RowValidator.validate(file, context: Sample.context)
        #expect(
            verdicts.map(\.rejection?.message) == [
                "row has 4 fields, the header has 2", "row has 1 field, the header has 2",
            ])
    }

    @Test func emptyRowsAreSkipped() throws {
        let file = try read("ICCID,Status\n\n , \n\(Self.iccid),RETIRED\n,\n\(Self.other),RETIRED\n")
        #expect(file.rows.map(\.number) == [1, 2])
        #expect(file.rows.map(\.line) == [4, 6])
    }

    @Test func headerWithoutRowsWarns() throws {
        #expect(
            try read("ICCID,Status\n").warnings.map(\.description) == [
                "\(Self.name): warning: the file has no data rows"
            ])
    }

    @Test func fileErrors() {
        #expect(
            error("ICCID,Status\n", name: "fleet.csv")?.description
                == "fleet.csv: the file name does not say which change it holds; start it with one of "
                + "customer-rate-plan, carrier-rate-plan, status-update, edit-username, change-iccid-imei, archival "
                + "and an underscore (status-update_fleet.csv), or for JSON set \"changeType\"")
        #expect(error("") == .emptyFile(fileName: Self.name))
        #expect(
            error("ICCID,Status\n\(Self.iccid),\"RETIRED\n")?.description
                == "\(Self.name):2:22: unterminated quoted field started here; add the closing quote (\") "
                + "or double the quotes inside the field")
    }

    @Test func csvWarningsCarryTheFileName() throws {
        let file = try InputFile.read(
            csv: Array("ICCID,Status,Reason\n\(Self.iccid),RETIRED,caf".utf8) + [0xE9], fileName: Self.name)
        #expect(file.rows.map(\.fields["reason"]) == ["café"])
        #expect(file.warnings.count == 1)
        #expect(file.warnings.first?.description.hasPrefix("\(Self.name):2:") == true)
    }

    @Test(arguments: [false, true])
    func utf16WithoutByteOrderMarkIsReadWithAWarning(bigEndian: Bool) throws {
        let text = "ICCID,Status,Reason\r\n\(Self.iccid),RETIRED,Zoë 🙂\r\n"
        let file = try read(bytes: utf16(text, bigEndian: bigEndian))
        #expect(file.rows.map(\.fields) == [["iccid": Self.iccid, "target_status": "RETIRED", "reason": "Zoë 🙂"]])
        let name = bigEndian ? "UTF-16BE" : "UTF-16LE"
        #expect(
            file.warnings.map(\.description) == [
                "\(Self.name):1:1: warning: text is UTF-16 \(bigEndian ? "big" : "little")-endian (\(name)) without a "
                    + "byte order mark; read it as such. Save the file as \"CSV UTF-8\" to avoid guessing"
            ])
    }

    /// `text` as UTF-16 in the given byte order, without a byte order mark.
    func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { unit in
            bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
    }

    @Test func errorsFileReadBackKeepsGuardedValues() throws {
        // What the outbox writes for a row whose values a spreadsheet would run as formulas.
        var writer = CSVWriter()
        writer.write(["row", "ICCID", "Username", "Cost Center 1", "Cost Center 2", "error"])
        writer.write(["1", Self.iccid, "-abc", "=1+1", "'kept", "username \"-abc\": …"])
        let written = writer.takeBytes()
        #expect(String(decoding: written, as: UTF8.self).contains(",'-abc,'=1+1,'kept,"))
        let file = try read(bytes: written, name: "edit-username_fixed.csv")
        #expect(file.warnings.isEmpty)
        #expect(
            file.rows.map(\.fields) == [
                ["iccid": Self.iccid, "username": "-abc", "cost_center_1": "=1+1", "cost_center_2": "'kept"]
            ])
        #expect(file.rows.map(\.values) == [["1", Self.iccid, "'-abc", "'=1+1", "'kept", "username \"-abc\": …"]])
        let verdicts = RowValidator.validate(file, context: Sample.context)
        #expect(verdicts.map(\.rejection) == [nil])
        for (cell, field) in [("'@x", "@x"), ("'+1", "+1"), ("'\tx", "x"), ("'", "'"), ("''-", "''-"), ("a'-", "a'-")] {
            let one = try read(
                bytes: Array("ICCID,Username\n\(Self.iccid),\"\(cell)\"\n".utf8), name: "edit-username_a.csv")
            #expect(one.rows.first?.fields["username"] == field, "\(cell)")
        }
    }

    @Test func readPathChoosesByExtension() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bulkchange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = "ICCID,Status\n\(Self.iccid),RETIRED\n"
        let json = "{\"devices\": [{\"iccid\": \"\(Self.iccid)\", \"target_status\": \"RETIRED\"}]}"
        for (name, text) in [
            ("status-update_a.csv", csv), ("status-update_b.TXT", csv), ("status-update_c.json", json),
        ] {
            let path = directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let file = try InputFile.read(path: path)
            #expect(file.fileName == name)
            #expect(file.rows.map(\.fields) == [["iccid": Self.iccid, "target_status": "RETIRED"]])
        }
        #expect(throws: InputFileError.unsupportedFileType(fileName: "status-update_d.xls")) {
            try InputFile.read(path: directory.appendingPathComponent("status-update_d.xls").path)
        }
        for name in ["status-update_missing.csv", "status-update_missing.json"] {
            let error = #expect(throws: InputFileError.self) {
                try InputFile.read(path: directory.appendingPathComponent(name).path)
            }
            #expect(error?.description.hasPrefix("\(name): cannot read the file: ") == true)
        }
    }
}
