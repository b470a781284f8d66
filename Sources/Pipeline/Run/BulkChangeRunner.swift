import BulkChange
import Foundation
import Jasper
import Store

/// Runs one bulk-change file through the whole pipeline: read, validate against the tenant's
/// inventory, record the bulk change and one detail per row, pre-flight the provider, fan the
/// devices out to their processor, derive the bulk change's status, and write the outbox files.
public struct BulkChangeRunner: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Processes the file at `path` for `tenant`; with `dryRun` it validates and reports without
    /// calling Control Center or changing data.
    ///
    /// - Parameter provider: the service provider when the file does not name one; by default the
    ///   only configured provider.
    /// - Throws: `PipelineError` when the file cannot be read or names an unknown tenant or provider;
    ///   a row's failure is never thrown but reported as its outcome.
    public func run(path: String, tenant: String, provider: String? = nil, dryRun: Bool = false)
        async throws(PipelineError) -> RunReport
    {
        let startedAt = workspace.now()
        let file: InputFile
        do {
            file = try InputFile.read(path: path)
        } catch {
            throw .input(error)
        }
        let (tenantID, providerRecord) = try await resolve(tenant: tenant, provider: provider ?? file.serviceProvider)
        guard let providerID = providerRecord.id else { throw .unknownProvider(providerRecord.name, known: []) }
        let loaded: ValidationLoader.Loaded
        do {
            loaded = try await ValidationLoader.load(
                for: file, tenantID: tenantID, providerID: providerID, now: startedAt, in: workspace.store)
        } catch {
            throw .store(error)
        }
        let verdicts = RowValidator.validate(file, context: loaded.context)
        let header = RunHeader(
            tenant: tenant, tenantID: tenantID, provider: providerRecord, file: file, sourceFile: path,
            contentHash: (try? SHA256.hex(ofFile: path)) ?? "", startedAt: startedAt)
        let results: [ResultRow]
        let status: String
        let bulkChangeID: Int64
        if dryRun {
            results = zip(file.rows, verdicts).map { row, verdict in DryRun.result(row: row, verdict: verdict, type: file.changeType) }
            status = "VALIDATED"
            bulkChangeID = 0
        } else {
            let recorded = try await record(header, verdicts: verdicts, records: loaded.records)
            try await apply(recorded, header: header)
            (results, status) = try await finish(recorded.bulkChangeID, type: file.changeType)
            bulkChangeID = recorded.bulkChangeID
        }
        let summary = RunSummary(
            bulkChangeID: bulkChangeID, tenant: tenant, serviceProvider: providerRecord.name,
            changeType: file.changeType, sourceFile: path, status: status, results: results, startedAt: startedAt,
            finishedAt: workspace.now(), warnings: file.warnings.map(\.description))
        let values = Dictionary(uniqueKeysWithValues: file.rows.map { ($0.number, $0.values) })
        do {
            let paths = try OutboxWriter(root: workspace.configuration.outbox).write(
                results: results, summary: summary, inputColumns: file.columns, inputValues: values)
            return RunReport(summary: summary, results: results, paths: paths)
        } catch {
            throw .outbox(error)
        }
    }

    private func resolve(tenant: String, provider: String?) async throws(PipelineError) -> (Int64, ServiceProviderRecord) {
        let configured = workspace.configuration.serviceProviders.map(\.name)
        let tenants = workspace.configuration.tenants
        let name = provider ?? (configured.count == 1 ? configured[0] : nil)
        let found: (Int64?, ServiceProviderRecord?)
        do {
            found = try await workspace.store.read { connection in
                (try connection.tenantID(named: tenant), try name.flatMap { name throws(StoreError) in try connection.provider(named: name) })
            }
        } catch {
            throw .store(error)
        }
        guard let tenantID = found.0 else { throw .unknownTenant(tenant, known: tenants) }
        guard let record = found.1 else { throw .unknownProvider(name ?? "(none named)", known: configured) }
        return (tenantID, record)
    }

    /// Creates the bulk change and its details: REJECTED rows final at once, the others PENDING.
    private func record(_ header: RunHeader, verdicts: [RowVerdict], records: [String: DeviceRecord])
        async throws(PipelineError) -> RecordedChange
    {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        var details: [NewDetail] = []
        var accepted: [(index: Int, request: ChangeRequest, device: DeviceRecord)] = []
        for (index, (row, verdict)) in zip(header.file.rows, verdicts).enumerated() {
            let iccid = row.fields["iccid"] ?? ""
            switch verdict {
            case .success(let request):
                guard let device = records[request.iccid] else {
                    details.append(NewDetail(rowNumber: row.number, iccid: iccid, requestJSON: nil, status: Outcome.rejected.rawValue, message: "ICCID \(iccid) is not in this tenant's inventory for this provider"))
                    continue
                }
                let json = (try? encoder.encode(request)).map { String(decoding: $0, as: UTF8.self) }
                details.append(NewDetail(rowNumber: row.number, iccid: iccid, requestJSON: json, status: DetailStatus.pending.rawValue, message: nil))
                accepted.append((index, request, device))
            case .failure(let rejection):
                details.append(NewDetail(rowNumber: row.number, iccid: iccid, requestJSON: nil, status: Outcome.rejected.rawValue, message: rejection.description))
            }
        }
        let change = NewBulkChange(
            tenantID: header.tenantID, providerID: header.provider.id ?? 0, changeType: header.file.changeType.slug,
            sourceFileName: header.sourceFile, contentHash: header.contentHash, createdAt: header.startedAt)
        do {
            return try await workspace.store.write { [details, accepted] connection in
                let id = try connection.createBulkChange(change)
                let ids = try connection.insertDetails(bulkChangeID: id, details)
                try connection.markBulkChangeStarted(id: id, at: header.startedAt)
                return RecordedChange(
                    bulkChangeID: id,
                    pending: accepted.map { PendingDevice(detailID: ids[$0.index], request: $0.request, device: $0.device) })
            }
        } catch {
            throw .store(error)
        }
    }

    /// Pre-flight, then every pending device through its processor.
    private func apply(_ recorded: RecordedChange, header: RunHeader) async throws(PipelineError) {
        let fanOut = FanOut(workspace: workspace, changeType: header.file.changeType)
        do {
            let client = try Preflight.check(header.provider, workspace: workspace)
            await fanOut.run(recorded.pending, context: ProcessingContext(
                jasper: client, provider: header.provider, now: workspace.now, verification: workspace.verification))
        } catch {
            try await fanOut.failAll(recorded.pending, reason: "\(error)")
        }
    }

    /// Derives the bulk change's status from its details and reads them back as result rows.
    private func finish(_ id: Int64, type: ChangeType) async throws(PipelineError) -> ([ResultRow], String) {
        let now = workspace.now()
        do {
            return try await workspace.store.write { connection in
                let change = try connection.finishBulkChange(id: id, at: now)
                let rows = try connection.details(bulkChangeID: id).map { detail in
                    ResultRow(
                        row: detail.rowNumber, iccid: detail.iccid, changeType: type,
                        outcome: Outcome(rawValue: detail.status) ?? .failed,
                        message: detail.message ?? "", oldValue: detail.oldValue, newValue: detail.newValue,
                        processedAt: detail.processedAt)
                }
                return (rows, change.status)
            }
        } catch {
            throw .store(error)
        }
    }
}

/// What one run is about.
struct RunHeader: Sendable {
    var tenant: String
    var tenantID: Int64
    var provider: ServiceProviderRecord
    var file: InputFile
    var sourceFile: String
    /// SHA-256 of the file's bytes, hex.
    var contentHash: String
    var startedAt: Date
}

/// A recorded bulk change and the devices waiting to be processed.
struct RecordedChange: Sendable {
    var bulkChangeID: Int64
    var pending: [PendingDevice]
}

/// A valid row waiting for its processor.
struct PendingDevice: Sendable {
    var detailID: Int64
    var request: ChangeRequest
    var device: DeviceRecord
}

/// What a run produced: the summary, one result per input row, and the outbox files.
public struct RunReport: Sendable {
    public var summary: RunSummary
    public var results: [ResultRow]
    public var paths: OutboxPaths
}
