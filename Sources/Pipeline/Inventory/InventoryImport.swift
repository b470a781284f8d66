import BulkChange
import CSV
import Foundation
import Store

/// Loads or updates a tenant's devices from a CSV file (`bulkdrop devices import`).
///
/// The header needs `iccid`; the other columns are optional: `imei`, `msisdn`, `status`,
/// `carrier_rate_plan` (or `rate_plan`), `communication_plan`, `customer_rate_plan`,
/// `customer_pool`, `data_allocation_mb`, `username` (or `device_id`), `cost_center_1`…`3`,
/// `last_usage_date`. Names match without regard to case, spaces, `_` and `-`. A bad row is
/// reported and skipped; the others load.
public struct InventoryImport: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// What an import did.
    public struct Report: Sendable {
        public var inserted: Int
        public var updated: Int
        /// `file:line: reason` for each row not loaded.
        public var rejected: [String]
    }

    static let columns: [String: DeviceField] = [
        "iccid": .iccid, "imei": .imei, "msisdn": .msisdn, "status": .status, "carrierrateplan": .carrierRatePlan,
        "rateplan": .carrierRatePlan, "communicationplan": .communicationPlan, "customerrateplan": .customerRatePlan,
        "customerpool": .customerPool, "dataallocationmb": .dataAllocationMB, "username": .username,
        "deviceid": .username, "costcenter1": .costCenter1, "costcenter2": .costCenter2, "costcenter3": .costCenter3,
        "lastusagedate": .lastUsageDate,
    ]

    public func run(path: String, tenant: String, provider name: String) async throws(PipelineError) -> Report {
        let tenantID = try await workspace.tenantID(named: tenant)
        let provider = try await workspace.provider(named: name)
        let providerID = provider.id ?? 0
        let (records, rejectedRows) = try Self.read(path: path, tenantID: tenantID, providerID: providerID)
        let now = workspace.now()
        do {
            let result = try await workspace.store.write { connection in
                try connection.upsertDevices(records.map(\.record), at: now)
            }
            let lines = Dictionary(records.map { ($0.record.iccid, $0.line) }) { first, _ in first }
            let conflicts = result.conflicts.map {
                "\(path):\(lines[$0] ?? 0): ICCID \($0) belongs to another tenant; not changed"
            }
            return Report(inserted: result.inserted, updated: result.updated, rejected: rejectedRows + conflicts)
        } catch {
            throw .store(error)
        }
    }

    /// The valid rows as records (with their lines), and a message for each invalid one.
    static func read(path: String, tenantID: Int64, providerID: Int64) throws(PipelineError)
        -> ([(record: DeviceRecord, line: Int)], [String])
    {
        do {
            let reader = try CSVReader(path: path)
            guard let header = try reader.next() else { return ([], ["\(path): the file is empty"]) }
            let fields = header.map { columns[FieldSpec.columnKey($0)] }
            guard fields.contains(.iccid) else {
                throw PipelineError.inventoryFile(
                    path: path, line: header.line, problem: "the header has no iccid column")
            }
            var records: [(DeviceRecord, Int)] = []
            var rejected: [String] = []
            var record = CSVRecord()
            while try reader.readRecord(into: &record) {
                var values: [DeviceField: String] = [:]
                for (index, field) in fields.enumerated() {
                    guard let field, index < record.count else { continue }
                    let value = record[index].trimmingCharacters(in: .whitespaces)
                    if !value.isEmpty { values[field] = value }
                }
                switch InventoryRow.record(values, tenantID: tenantID, providerID: providerID) {
                case .success(let device): records.append((device, record.line))
                case .failure(let problem): rejected.append("\(path):\(record.line): \(problem.message)")
                }
            }
            return (records, rejected)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.inventoryFile(path: path, line: nil, problem: "\(error)")
        }
    }
}
