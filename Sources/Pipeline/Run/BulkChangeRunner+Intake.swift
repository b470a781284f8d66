import BulkChange
import Foundation
import Store
import Synchronization

extension BulkChangeRunner {
    /// Reads, validates and records the file chunk by chunk: its rows are never all in memory.
    /// (A dry run streams into the outbox instead: `DryRun.stream`.)
    func intake(path: String, tenant: String, options: RunOptions) async throws(PipelineError) -> Intake {
        let startedAt = workspace.now()
        var limits = workspace.configuration.inputLimits
        limits.readBytes = options.readBytes.map(Int.init)
        let reader = try await InputChunks.open(path, limits: limits)
        let (tenantID, providerRecord) = try await resolve(
            tenant: tenant, provider: options.provider ?? reader.value.serviceProvider)
        guard let providerID = providerRecord.id else { throw .unknownProvider(providerRecord.name, known: []) }
        var catalog = try await catalog(tenantID: tenantID, providerID: providerID, now: startedAt)
        if reader.value.changeType == .carrierRatePlan {
            let named = try await InputChunks.planNames(path, limits: limits)
            if await CatalogRefresh(workspace: workspace).refreshIfNeeded(
                ratePlans: named.ratePlans, communicationPlans: named.communicationPlans, context: catalog,
                provider: providerRecord.name)
            {
                catalog = try await self.catalog(tenantID: tenantID, providerID: providerID, now: startedAt)
            }
        }
        let header = RunHeader(
            tenant: tenant, tenantID: tenantID, provider: providerRecord, changeType: reader.value.changeType,
            sourceFile: options.sourceName ?? path, contentHash: try await contentHash(of: path, options: options),
            startedAt: startedAt)
        let recorded = try await record(header, reader: reader, catalog: catalog, ledgerID: options.ledgerID)
        return Intake(header: header, recorded: recorded)
    }

    /// The plans rows are judged against.
    private func catalog(tenantID: Int64, providerID: Int64, now: Date) async throws(PipelineError)
        -> ValidationContext
    {
        do {
            return try await workspace.store.read { connection in
                try ValidationLoader.catalog(tenantID: tenantID, providerID: providerID, now: now, in: connection)
            }
        } catch {
            throw .store(error)
        }
    }

    /// The file's SHA-256: the caller's when it has one, else read now.
    private func contentHash(of path: String, options: RunOptions) async throws(PipelineError) -> String {
        if let known = options.contentHash, !known.isEmpty { return known }
        do {
            return try await FileWork.run { () throws(SHA256.FileError) in try SHA256.hex(ofFile: path) }
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
    }

    /// The tenant's id and the provider's record; without a provider name, the only configured one.
    func resolve(tenant: String, provider: String?) async throws(PipelineError) -> (
        Int64, ServiceProviderRecord
    ) {
        let configured = workspace.configuration.serviceProviders.map(\.name)
        guard let name = provider ?? (configured.count == 1 ? configured[0] : nil) else {
            throw .unknownProvider("(none named)", known: configured)
        }
        return (try await workspace.tenantID(named: tenant), try await workspace.provider(named: name))
    }

    /// Creates the bulk change and its details in one transaction, reading `reader` a chunk at a
    /// time: each chunk is judged against `catalog` and the devices it names, then written (REJECTED
    /// rows final at once, the others PENDING) and let go.
    private func record(
        _ header: RunHeader, reader: Handed<InputRowReader>, catalog: ValidationContext, ledgerID: Int64?
    ) async throws(PipelineError) -> RecordedChange {
        let change = NewBulkChange(
            tenantID: header.tenantID, providerID: header.provider.id ?? 0, changeType: header.changeType.slug,
            sourceFileName: header.sourceFile, contentHash: header.contentHash, createdAt: header.startedAt,
            inputColumns: reader.value.columns, warnings: [])
        let outbox = OutboxWriter(root: workspace.configuration.outbox)
        // The file is read on the store's own thread, inside the transaction; a file that cannot be
        // read is reported as such, not as a store failure.
        let inputFailure = Mutex<InputFileError?>(nil)
        do {
            return try await workspace.store.write { connection in
                let id = try connection.createBulkChange(change)
                _ = try ResultStem.assign(
                    bulkChangeID: id, tenantID: header.tenantID, sourceFile: header.sourceFile, outbox: outbox,
                    tenant: header.tenant, in: connection)
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = .sortedKeys
                var validation = RowValidation(changeType: header.changeType)
                var (rows, valid) = (0, 0)
                while true {
                    let chunk: [InputRow]
                    do throws(InputFileError) {
                        chunk = try reader.value.next(upTo: Self.detailBatch)
                    } catch {
                        inputFailure.withLock { $0 = error }
                        throw error
                    }
                    if chunk.isEmpty { break }
                    let context = try ValidationLoader.chunk(
                        catalog, rows: chunk, tenantID: header.tenantID, providerID: header.provider.id ?? 0,
                        in: connection)
                    let verdicts = validation.validate(chunk, context: context)
                    let details = try zip(chunk, verdicts).map { row, verdict throws(StoreError) in
                        try Self.detail(row: row, verdict: verdict, encoder: encoder)
                    }
                    _ = try connection.insertDetails(bulkChangeID: id, details)
                    rows += chunk.count
                    valid += verdicts.filter { (try? $0.get()) != nil }.count
                }
                for warning in reader.value.warnings {
                    try connection.addBulkChangeWarning(id: id, warning.description)
                }
                try connection.markBulkChangeStarted(id: id, at: header.startedAt)
                if let ledgerID { try connection.linkLedgerEntry(id: ledgerID, bulkChangeID: id) }
                return RecordedChange(bulkChangeID: id, settled: rows - valid, rows: rows)
            }
        } catch {
            if let input = inputFailure.withLock({ $0 }) { throw .input(input) }
            throw .store(error)
        }
    }

    /// Detail rows written per insert.
    private static let detailBatch = 5000

    /// The detail of one row: PENDING with its typed request as JSON, or REJECTED with the reason.
    ///
    /// - Throws: `StoreError.invalidValue` when the request cannot be written as JSON (a program
    ///   error): the bulk change's transaction then keeps nothing.
    private static func detail(row: InputRow, verdict: RowVerdict, encoder: JSONEncoder) throws(StoreError)
        -> NewDetail
    {
        let iccid = row.fields["iccid"] ?? ""
        switch verdict {
        case .success(let request):
            let json: String
            do {
                json = String(decoding: try encoder.encode(request), as: UTF8.self)
            } catch {
                throw .invalidValue(
                    field: "request of row \(row.number)", value: "\(request)",
                    expected: "a request that can be stored as JSON (\(error)); report this as a bug")
            }
            return NewDetail(
                rowNumber: row.number, iccid: iccid, requestJSON: json, status: DetailStatus.pending.rawValue,
                message: nil, inputCells: row.values)
        case .failure(let rejection):
            return NewDetail(
                rowNumber: row.number, iccid: iccid, requestJSON: nil, status: Outcome.rejected.rawValue,
                message: rejection.description, inputCells: row.values)
        }
    }
}
