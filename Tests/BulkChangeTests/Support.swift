import BulkChange
import Foundation
import Testing

/// The moment every test judges dates against: 2026-03-10T12:00:00Z.
let testNow = Date(timeIntervalSince1970: 1_773_144_000)

/// `body` followed by its Luhn check digit.
func withCheckDigit(_ body: String) -> String {
    body + String(Luhn.checkDigit(for: body))
}

/// The instant a date text names (`DateCheck` has its own tests).
func utc(_ text: String) -> Date {
    guard let date = try? DateCheck.parse(text) else { preconditionFailure("not a test date: \(text)") }
    return date.date
}

/// Identifiers and plans of the test inventory.
enum Sample {
    /// An ACTIVATED device with an IMEI.
    static let iccid = withCheckDigit("8901260000000000001")
    /// A RETIRED device.
    static let retired = withCheckDigit("8901260000000000002")
    /// An archived device.
    static let archived = withCheckDigit("8901260000000000003")
    /// A 19-digit ICCID in the inventory.
    static let short = withCheckDigit("890126000000000004")
    /// Valid, but in nobody's inventory for this tenant (another tenant's device looks the same).
    static let unknown = withCheckDigit("8901260000000000099")
    /// The IMEI of `iccid`.
    static let imei = withCheckDigit("35209900176148")
    /// An unused IMEI.
    static let newIMEI = withCheckDigit("35209900176149")
    /// A spare SIM of the tenant (ACTIVATION_READY).
    static let newICCID = withCheckDigit("8901260000000000050")
    /// An ICCID and an IMEI other devices of the provider use.
    static let usedICCID = withCheckDigit("8901260000000000060")
    static let usedIMEI = withCheckDigit("35209900176150")

    /// The tenant's inventory and plans for the provider.
    static let context = ValidationContext(
        now: testNow,
        devices: Dictionary(
            uniqueKeysWithValues: [
                InventoryDevice(iccid: iccid, imei: imei, status: .activated),
                InventoryDevice(iccid: retired, status: .retired),
                InventoryDevice(iccid: archived, status: .deactivated, isArchived: true),
                InventoryDevice(iccid: short),
                InventoryDevice(iccid: newICCID, status: .activationReady),
            ].map { ($0.iccid, $0) }),
        carrierRatePlans: ["IoT 1GB", "IoT 5GB"], communicationPlans: ["Data Only"],
        customerRatePlans: ["CRP-1"], customerPools: ["POOL-1"], identifiersInUse: [usedICCID, usedIMEI])
}

/// An input file of `type` whose rows have `rows` as their fields.
func inputFile(_ type: ChangeType, _ rows: [[String: String]]) -> InputFile {
    InputFile(
        fileName: "\(type.slug).csv", changeType: type, columns: type.fields.map(\.name),
        rows: rows.enumerated().map { index, fields in
            InputRow(number: index + 1, line: index + 2, values: [], fields: fields)
        })
}

/// What a table expects of one row.
enum Expected: Sendable {
    /// The row becomes this request.
    case request(ChangeRequest)
    /// The row is rejected for `column`, with a message containing `message`.
    case rejected(column: String?, message: String)
}

/// One row of a change type's table: its fields and what becomes of it.
struct RowCase: Sendable, CustomTestStringConvertible {
    let name: String
    let fields: [String: String]
    let expected: Expected

    init(_ name: String, _ fields: [String: String], _ expected: Expected) {
        self.name = name
        self.fields = fields
        self.expected = expected
    }

    var testDescription: String { name }

    /// Judges the row of `type` against `Sample.context` and checks the verdict.
    func verify(_ type: ChangeType, sourceLocation: SourceLocation = #_sourceLocation) {
        let verdict = RowValidator.validate(inputFile(type, [fields]), context: Sample.context)[0]
        switch (verdict, expected) {
        case (.success(let request), .request(let expected)):
            #expect(request == expected, sourceLocation: sourceLocation)
        case (.failure(let rejection), .rejected(let column, let message)):
            #expect(rejection.column == column, "\(rejection)", sourceLocation: sourceLocation)
            #expect(rejection.message.contains(message), "\(rejection)", sourceLocation: sourceLocation)
        default:
            Issue.record("expected \(expected), got \(verdict)", sourceLocation: sourceLocation)
        }
    }
}

extension Result where Failure == RowRejection {
    /// The rejection, or `nil` for a valid row.
    var rejection: RowRejection? {
        if case .failure(let rejection) = self { rejection } else { nil }
    }
}

/// The problem `check` throws for `text`, or `nil` when it accepts it.
func catching<Value>(_ check: (String) throws(FieldProblem) -> Value, _ text: String) -> FieldProblem? {
    do {
        _ = try check(text)
        return nil
    } catch {
        return error
    }
}

/// The error `read` throws, or `nil` when the file reads.
func readError(_ read: () throws(InputFileError) -> InputFile) -> InputFileError? {
    do {
        _ = try read()
        return nil
    } catch {
        return error
    }
}
