import BulkChange
import CSV
import Foundation
import Jasper

/// Loads the simulator's devices from a CSV file (`--devices FILE`).
///
/// The header needs `iccid`; `imei`, `msisdn`, `status`, `ratePlan`, `communicationPlan`,
/// `deviceID`, `accountId` and `lastUsageDate` are optional (names matched without regard to
/// case, spaces, `_` and `-`).
public enum DeviceFile {
    /// A device file that cannot be used, with where and why.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public static func load(path: String, defaultAccountId: String) throws(Problem) -> [SimulatedDevice] {
        do {
            return try read(path: path, defaultAccountId: defaultAccountId)
        } catch let error as CSVError {
            throw Problem(description: error.position == nil ? "\(error)" : "\(path):\(error)")
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "\(path): \(error)")
        }
    }

    private static func read(path: String, defaultAccountId: String) throws -> [SimulatedDevice] {
        let reader = try CSVReader(path: path)
        guard let header = try reader.next() else { throw Problem(description: "\(path): the file is empty") }
        let columns = Dictionary(header.enumerated().map { (FieldSpec.columnKey($0.element), $0.offset) }) { first, _ in
            first
        }
        guard columns["iccid"] != nil else {
            throw Problem(description: "\(path):\(header.line): the header has no iccid column")
        }
        var devices: [SimulatedDevice] = []
        var record = CSVRecord()
        while try reader.readRecord(into: &record) {
            func field(_ name: String) -> String? {
                guard let index = columns[name], index < record.count else { return nil }
                let value = record[index].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
            guard let iccid = field("iccid") else {
                throw Problem(description: "\(path):\(record.line): no ICCID on this row")
            }
            var lastUsage: Date?
            if let text = field("lastusagedate") {
                guard let date = JasperTimestamp.parse(text) else {
                    throw Problem(
                        description: "\(path):\(record.line): lastUsageDate '\(text)' is not a date (YYYY-MM-DD)")
                }
                lastUsage = date
            }
            if let status = field("status"), SIMStatus(rawValue: status) == nil {
                throw Problem(description: "\(path):\(record.line): unknown status '\(status)'")
            }
            let device = JasperDevice(
                iccid: iccid, msisdn: field("msisdn"), imei: field("imei"), status: field("status") ?? "ACTIVATED",
                ratePlan: field("rateplan"), communicationPlan: field("communicationplan"),
                accountId: field("accountid") ?? defaultAccountId, deviceID: field("deviceid"))
            devices.append(SimulatedDevice(device: device, lastUsageDate: lastUsage))
        }
        return devices
    }

}
