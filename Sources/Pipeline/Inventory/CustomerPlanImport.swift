import BulkChange
import CSV
import Foundation
import Store

/// Loads a tenant's customer rate plans and pools from a CSV file (`bulkdrop plans import-customer`).
///
/// Columns: `kind` (`plan` or `pool`), `code` (what bulk-change files name), `name`, and for plans
/// an optional `data_allocation_mb`. A bad row is reported and skipped.
public struct CustomerPlanImport: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// What an import loaded, and each row it did not.
    public struct Report: Sendable {
        public var plans: Int
        public var pools: Int
        public var rejected: [String]
    }

    public func run(path: String, tenant: String) async throws(PipelineError) -> Report {
        let tenantID = try await workspace.tenantID(named: tenant)
        var plans: [CustomerRatePlanRecord] = []
        var pools: [CustomerPoolRecord] = []
        var rejected: [String] = []
        do {
            let reader = try CSVReader(path: path)
            guard let header = try reader.next() else {
                throw PipelineError.inventoryFile(path: path, line: nil, problem: "the file is empty")
            }
            let index = Dictionary(header.enumerated().map { (FieldSpec.columnKey($1), $0) }) { first, _ in first }
            guard let kindColumn = index["kind"], let codeColumn = index["code"] else {
                throw PipelineError.inventoryFile(
                    path: path, line: header.line, problem: "the header needs the columns kind and code (and name)")
            }
            var record = CSVRecord()
            while try reader.readRecord(into: &record) {
                func value(_ column: Int?) -> String {
                    guard let column, column < record.count else { return "" }
                    return record[column].trimmingCharacters(in: .whitespaces)
                }
                let (kind, code, name) = (value(kindColumn).lowercased(), value(codeColumn), value(index["name"]))
                let allocationText = value(index["dataallocationmb"])
                guard !code.isEmpty else {
                    rejected.append("\(path):\(record.line): no code")
                    continue
                }
                switch kind {
                case "plan":
                    guard allocationText.isEmpty || Double(allocationText) != nil else {
                        rejected.append("\(path):\(record.line): data_allocation_mb \(allocationText) is not a number")
                        continue
                    }
                    plans.append(
                        CustomerRatePlanRecord(
                            code: code, name: name.isEmpty ? code : name, dataAllocationMB: Double(allocationText)))
                case "pool": pools.append(CustomerPoolRecord(code: code, name: name.isEmpty ? code : name))
                default: rejected.append("\(path):\(record.line): kind \"\(kind)\" is neither plan nor pool")
                }
            }
        } catch let error as PipelineError {
            throw error
        } catch {
            throw .inventoryFile(path: path, line: nil, problem: "\(error)")
        }
        do {
            try await workspace.store.write { [plans, pools] connection in
                try connection.upsertCustomerRatePlans(tenantID: tenantID, plans)
                try connection.upsertCustomerPools(tenantID: tenantID, pools)
            }
        } catch {
            throw .store(error)
        }
        return Report(plans: plans.count, pools: pools.count, rejected: rejected)
    }
}
