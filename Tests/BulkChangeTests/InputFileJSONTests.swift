import BulkChange
import Testing

@Suite("InputFile from JSON")
struct InputFileJSONTests {
    static let a = Sample.iccid
    static let b = Sample.short
    static let c = Sample.retired

    func read(_ text: String, name: String = "fleet.json") throws(InputFileError) -> InputFile {
        try InputFile.read(json: Array(text.utf8), fileName: name)
    }

    /// The error reading `text` throws, or `nil`.
    func error(_ text: String, name: String = "fleet.json") -> InputFileError? {
        readError { () throws(InputFileError) in try read(text, name: name) }
    }

    @Test func defaultsApplyUnlessADeviceOverrides() throws {
        let file = try read(
            """
            {"changeType": "status-update", "serviceProvider": " POD19 ",
             "defaults": {"target_status": "DEACTIVATED", "reason": "end of trial"},
             "devices": [{"iccid": "\(Self.a)"},
                         {"iccid": "\(Self.b)", "target_status": "Activated"},
                         {"iccid": "\(Self.c)", "reason": null}]}
            """)
        #expect(file.changeType == .statusUpdate)
        #expect(file.serviceProvider == "POD19")
        #expect(file.columns == ["iccid", "target_status", "reason", "effective_date"])
        #expect(
            file.rows == [
                InputRow(
                    number: 1, line: 0, values: [Self.a, "DEACTIVATED", "end of trial", ""],
                    fields: ["iccid": Self.a, "target_status": "DEACTIVATED", "reason": "end of trial"]),
                InputRow(
                    number: 2, line: 0, values: [Self.b, "Activated", "end of trial", ""],
                    fields: ["iccid": Self.b, "target_status": "Activated", "reason": "end of trial"]),
                InputRow(
                    number: 3, line: 0, values: [Self.c, "DEACTIVATED", "", ""],
                    fields: ["iccid": Self.c, "target_status": "DEACTIVATED"]),
            ])
        #expect(file.warnings.isEmpty)
    }

    @Test func numbersAndBooleansBecomeText() throws {
        let file = try read(
            """
            {"devices": [{"iccid": "\(Self.a)", "retention_days": 365, "override_usage_check": true},
                         {"iccid": "\(Self.b)", "retention_days": 5e2, "override_usage_check": false}]}
            """, name: "archival_2026.json")
        #expect(file.changeType == .archival)
        #expect(file.rows.map(\.fields["retention_days"]) == ["365", "500"])
        #expect(file.rows.map(\.fields["override_usage_check"]) == ["true", "false"])
        let file2 = try read(
            #"{"devices": [{"iccid": "\#(Self.a)", "data_allocation_mb": 1.5}]}"#, name: "customer-rate-plan.json")
        #expect(file2.rows.map(\.fields["data_allocation_mb"]) == ["1.5"])
    }

    @Test func identifiersAsNumbersAreRowProblems() throws {
        let file = try read(
            #"{"changeType": "change-iccid-imei", "devices": [{"iccid": 89012601234567890123}, {"iccid": "\#(Self.a)", "new_imei": 352099001761481}]}"#
        )
        #expect(
            file.rows.map(\.problem?.description) == [
                "iccid \"89012601234567890123\": is a JSON number; write ICCIDs as JSON strings; numbers lose digits",
                "new_imei \"352099001761481\": is a JSON number; write IMEIs as JSON strings; numbers lose digits",
            ])
        #expect(RowValidator.validate(file, context: Sample.context).map(\.rejection) == file.rows.map(\.problem))
    }

    @Test func devicesThatAreNotObjectsOrHoldArrays() throws {
        let file = try read(
            #"{"changeType": "archival", "devices": ["\#(Self.a)", {"iccid": "\#(Self.b)", "reason": ["a"]}]}"#)
        #expect(
            file.rows.map(\.problem?.description) == [
                "devices[0] is not an object; write each device as {\"iccid\": \"…\", …}",
                "reason: is a JSON array or object; give a string, a number or true/false",
            ])
    }

    @Test func unknownKeysWarnOnceWhereFirstSeen() throws {
        let file = try read(
            """
            {"changeType": "archival", "comment": "x", "defaults": {"colour": "red"},
             "devices": [{"iccid": "\(Self.a)"}, {"iccid": "\(Self.b)", "icc": "1", "colour": "blue"}, {"icc": "2"}]}
            """)
        #expect(
            file.warnings == [
                .unknownKey(fileName: "fleet.json", key: "comment", firstAt: "the top level", changeType: .archival),
                .unknownKey(fileName: "fleet.json", key: "colour", firstAt: "defaults", changeType: .archival),
                .unknownKey(fileName: "fleet.json", key: "icc", firstAt: "devices[1]", changeType: .archival),
            ])
        #expect(
            file.warnings.last?.description
                == "fleet.json: warning: ignored key \"icc\" (first in devices[1]); the archival columns are "
                + "iccid, reason, effective_date, retention_days, override_usage_check")
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"changeType": "archival", "devices": []}"#.utf8)
        let file = try InputFile.read(json: bytes, fileName: "x.json")
        #expect(file.rows.isEmpty)
        #expect(file.warnings == [.noRows(fileName: "x.json")])
    }

    @Test func brokenJSON() {
        let error = error(#"{"changeType": "archival", "devices": [1,}"#)
        #expect(
            error
                == .malformedJSON(
                    fileName: "fleet.json",
                    .unexpected(
                        found: "'}'", expected: "a value after ','",
                        at: JSONPosition(line: 1, column: 42, byteOffset: 41))))
        #expect(error?.description == "fleet.json:1:42: expected a value after ',', found '}'")
    }

    @Test func changeTypeFromJSONAndFileName() throws {
        #expect(try read(#"{"changeType": " Archival ", "devices": []}"#).changeType == .archival)
        #expect(
            error(#"{"changeType": "archival", "devices": []}"#, name: "status-update_x.json")
                == .changeTypeMismatch(fileName: "status-update_x.json", declared: .archival, named: .statusUpdate))
        #expect(
            try read(#"{"changeType": "archival", "devices": []}"#, name: "archival_x.json").changeType == .archival)
        #expect(try read(#"{"devices": []}"#, name: "edit-username_x.json").changeType == .editUsername)
        #expect(error(#"{"devices": []}"#) == .unknownChangeType(fileName: "fleet.json"))
        #expect(error(#"{"devices": []}"#)?.fileName == "fleet.json")
        #expect(
            error(#"{"changeType": "status", "devices": []}"#)?.description
                == "fleet.json: \"changeType\": \"status\" is not a change type; use one of customer-rate-plan, "
                + "carrier-rate-plan, status-update, edit-username, change-iccid-imei, archival")
        #expect(
            error(#"{"changeType": "archival", "devices": [], "defaults": {}}"#, name: "ARCHIVAL-x.json") == nil)
    }

    @Test func envelopeOfTheWrongShape() {
        #expect(
            error(#"[{"iccid": "1"}]"#)?.description
                == "fleet.json: the top level must be an object with \"changeType\" and \"devices\"")
        #expect(
            error(#"{"changeType": "archival"}"#)?.description
                == "fleet.json: \"devices\" must be an array of device objects")
        #expect(
            error(#"{"changeType": "archival", "devices": [], "defaults": []}"#)?.description
                == "fleet.json: \"defaults\" must be an object of field values")
        #expect(
            error(#"{"changeType": "archival", "devices": [], "serviceProvider": 19}"#)?.description
                == "fleet.json: \"serviceProvider\" must be a string")
    }
}
