import BulkChange
import Foundation
import Store

extension BulkChangeRunner {
    /// Reads and validates the file, and records the bulk change. The parsed rows are freed before
    /// devices are processed. (A dry run streams instead: `DryRun.stream`.)
    func intake(path: String, tenant: String, options: RunOptions) async throws(PipelineError) -> Intake {
        let startedAt = workspace.now()
        var limits = workspace.configuration.inputLimits
        limits.readBytes = options.readBytes.map(Int.init)
        let file = try await Self.read(path, limits: limits)
        let (tenantID, providerRecord) = try await resolve(
            tenant: tenant, provider: options.provider ?? file.serviceProvider)
        guard let providerID = providerRecord.id else { throw .unknownProvider(providerRecord.name, known: []) }
        var context: ValidationContext
        do {
            context = try await ValidationLoader.load(
                for: file, tenantID: tenantID, providerID: providerID, now: startedAt, in: workspace.store)
            if await CatalogRefresh(workspace: workspace).refreshIfNeeded(
                for: file, context: context, provider: providerRecord.name)
            {
                context = try await ValidationLoader.load(
                    for: file, tenantID: tenantID, providerID: providerID, now: startedAt, in: workspace.store)
            }
        } catch {
            throw .store(error)
        }
        let verdicts = RowValidator.validate(file, context: context)
        let header = RunHeader(
            tenant: tenant, tenantID: tenantID, provider: providerRecord, changeType: file.changeType,
            sourceFile: options.sourceName ?? path, contentHash: try await contentHash(of: path, options: options),
            startedAt: startedAt)
        let recorded = try await record(
            header, input: file.columns, warnings: file.warnings.map(\.description), rows: file.rows,
            verdicts: verdicts, ledgerID: options.ledgerID)
        return Intake(header: header, recorded: recorded)
    }

    /// Reads and parses the file on a file-work thread.
    static func read(_ path: String, limits: InputLimits) async throws(PipelineError) -> InputFile {
        do {
            return try await FileWork.run { () throws(InputFileError) in try InputFile.read(path: path, limits: limits)
            }
        } catch {
            throw .input(error)
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

    /// Creates the bulk change and its details: REJECTED rows final at once, the others PENDING.
    private func record(
        _ header: RunHeader, input columns: [String], warnings: [String], rows: [InputRow], verdicts: [RowVerdict],
        ledgerID: Int64?
    ) async throws(PipelineError) -> RecordedChange {
        let change = NewBulkChange(
            tenantID: header.tenantID, providerID: header.provider.id ?? 0, changeType: header.changeType.slug,
            sourceFileName: header.sourceFile, contentHash: header.contentHash, createdAt: header.startedAt,
            inputColumns: columns, warnings: warnings)
        let outbox = OutboxWriter(root: workspace.configuration.outbox)
        do {
            return try await workspace.store.write { connection in
                let id = try connection.createBulkChange(change)
                _ = try ResultStem.assign(
                    bulkChangeID: id, tenantID: header.tenantID, sourceFile: header.sourceFile, outbox: outbox,
                    tenant: header.tenant, in: connection)
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = .sortedKeys
                var valid = 0
                // In slices, so a large file never holds all its detail rows (and their JSON) at once.
                for start in stride(from: 0, to: rows.count, by: Self.detailBatch) {
                    let range = start..<min(start + Self.detailBatch, rows.count)
                    let details = try range.map { index throws(StoreError) in
                        try Self.detail(row: rows[index], verdict: verdicts[index], encoder: encoder)
                    }
                    _ = try connection.insertDetails(bulkChangeID: id, details)
                    valid += range.filter { (try? verdicts[$0].get()) != nil }.count
                }
                try connection.markBulkChangeStarted(id: id, at: header.startedAt)
                if let ledgerID { try connection.linkLedgerEntry(id: ledgerID, bulkChangeID: id) }
                return RecordedChange(bulkChangeID: id, settled: rows.count - valid, rows: rows.count)
            }
        } catch {
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
