import BulkChange
import Foundation
import Store

extension BulkChangeRunner {
    /// Finishes a bulk change an earlier run left unfinished (a crash or a stop): rows with a final
    /// outcome are left alone, PENDING rows are processed, and rows that were in flight are
    /// processed knowing a step may already have happened. `path` is the claimed file, read again
    /// for the errors file's columns.
    public func resume(bulkChangeID: Int64, path: String, options: RunOptions) async throws(PipelineError)
        -> RunReport
    {
        let file: InputFile
        do {
            file = try InputFile.read(path: path)
        } catch {
            throw .input(error)
        }
        let (header, pending) = try await unfinished(bulkChangeID, contentHash: (try? SHA256.hex(ofFile: path)) ?? "")
        return try await complete(
            RecordedChange(bulkChangeID: bulkChangeID, pending: pending), header: header, input: InputKept(file),
            options: options)
    }

    /// The bulk change's header and its rows without a final outcome.
    private func unfinished(_ id: Int64, contentHash: String) async throws(PipelineError)
        -> (RunHeader, [PendingDevice])
    {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let loaded: (BulkChangeRecord, ServiceProviderRecord, String, [DetailRecord])
        do {
            loaded = try await workspace.store.read { connection in
                guard let change = try connection.bulkChange(id: id),
                    let provider = try connection.provider(id: change.providerID)
                else { throw StoreError.notFound(kind: "bulk change", id: id) }
                let tenant = try connection.tenantName(id: change.tenantID) ?? ""
                let open = try connection.details(bulkChangeID: id).filter {
                    $0.status == DetailStatus.pending.rawValue || $0.status == DetailStatus.processing.rawValue
                }
                return (change, provider, tenant, open)
            }
        } catch {
            throw .store(error)
        }
        let (change, provider, tenant, open) = loaded
        guard let changeType = ChangeType(rawValue: change.changeType) else {
            throw .store(.invalidValue(field: "change_type", value: change.changeType, expected: "a change type slug"))
        }
        let pending = open.compactMap { detail -> PendingDevice? in
            guard let json = detail.requestJSON,
                let request = try? decoder.decode(ChangeRequest.self, from: Data(json.utf8))
            else { return nil }
            return PendingDevice(
                detailID: detail.id, request: request, inFlight: detail.status == DetailStatus.processing.rawValue)
        }
        let header = RunHeader(
            tenant: tenant, tenantID: change.tenantID, provider: provider, changeType: changeType,
            sourceFile: change.sourceFileName, contentHash: contentHash,
            startedAt: change.startedAt ?? change.createdAt)
        return (header, pending)
    }
}
