import BulkChange
import Foundation
import Store

extension BulkChangeRunner {
    /// Finishes a bulk change an earlier run left unfinished (a crash or a stop): rows with a final
    /// outcome are left alone, PENDING rows are processed, and rows that were in flight are
    /// processed knowing a step may already have happened. Everything needed is in the store: the
    /// input file itself is not read again.
    public func resume(bulkChangeID: Int64, options: RunOptions) async throws(PipelineError) -> RunReport {
        let (header, rows, open) = try await unfinished(bulkChangeID)
        return try await complete(
            RecordedChange(bulkChangeID: bulkChangeID, settled: rows - open, rows: rows), header: header,
            options: options)
    }

    /// The bulk change's header, how many rows it has and how many are still open.
    func unfinished(_ id: Int64) async throws(PipelineError) -> (RunHeader, rows: Int, open: Int) {
        let loaded: (BulkChangeRecord, ServiceProviderRecord, String, (rows: Int, open: Int))
        do {
            loaded = try await workspace.store.read { connection in
                guard let change = try connection.bulkChange(id: id),
                    let provider = try connection.provider(id: change.providerID)
                else { throw StoreError.notFound(kind: "bulk change", id: id) }
                let tenant = try connection.tenantName(id: change.tenantID) ?? ""
                return (change, provider, tenant, try connection.detailCounts(bulkChangeID: id))
            }
        } catch {
            throw .store(error)
        }
        let (change, provider, tenant, counts) = loaded
        guard let changeType = ChangeType(rawValue: change.changeType) else {
            throw .store(.invalidValue(field: "change_type", value: change.changeType, expected: "a change type slug"))
        }
        let header = RunHeader(
            tenant: tenant, tenantID: change.tenantID, provider: provider, changeType: changeType,
            sourceFile: change.sourceFileName, contentHash: change.contentHash,
            startedAt: change.startedAt ?? change.createdAt)
        return (header, counts.rows, counts.open)
    }

    /// The next page of the bulk change's rows still PENDING or PROCESSING after detail `afterID`,
    /// with their requests. A row whose stored request cannot be read is FAILED at once with the
    /// reason (what to send is not known) and left out.
    func pendingPage(_ id: Int64, after afterID: Int64, limit: Int = FanOut.chunkSize) async throws(PipelineError)
        -> [PendingDevice]
    {
        let details: [DetailRecord]
        do {
            details = try await workspace.store.read { connection in
                try connection.openDetails(bulkChangeID: id, afterID: afterID, limit: limit)
            }
        } catch {
            throw .store(error)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var pending: [PendingDevice] = []
        var unreadable: [(DetailRecord, String)] = []
        for detail in details {
            let inFlight = detail.status == DetailStatus.processing.rawValue
            do {
                let request = try decoder.decode(ChangeRequest.self, from: Data((detail.requestJSON ?? "").utf8))
                pending.append(PendingDevice(detailID: detail.id, request: request, inFlight: inFlight))
            } catch {
                unreadable.append((detail, Self.unreadableMessage(error, inFlight: inFlight)))
            }
        }
        try await fail(unreadable)
        // A page whose every row was unreadable is not the end: go on past it.
        if pending.isEmpty, let last = details.last { return try await pendingPage(id, after: last.id, limit: limit) }
        return pending
    }

    /// Rows whose stored request cannot be read are FAILED with the reason, never left behind or
    /// sent: what to send is not known.
    private func fail(_ rows: [(DetailRecord, String)]) async throws(PipelineError) {
        guard !rows.isEmpty else { return }
        let now = workspace.now()
        do {
            try await workspace.store.write { connection in
                for (detail, message) in rows {
                    if detail.status == DetailStatus.pending.rawValue {
                        try connection.markProcessing(detailID: detail.id)
                    }
                    try OutcomeRecorder.record(
                        OutcomeRecorder.Entry(
                            detailID: detail.id, deviceID: nil, result: .failed(message), exchanges: [],
                            note: "resume", at: now), in: connection)
                }
            }
        } catch {
            throw .store(error)
        }
    }

    private static func unreadableMessage(_ error: any Error, inFlight: Bool) -> String {
        "the stored request of this row cannot be read (\(error)); it was "
            + (inFlight
                ? "in flight when BulkDrop stopped and may have reached Control Center: check the device there, "
                : "not sent: ")
            + "then drop the row again"
    }
}
