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
    /// - Parameters:
    ///   - provider: the service provider when the file does not name one; by default the only
    ///     configured provider.
    ///   - progress: told after each device how many of the valid rows are done, and of how many.
    /// - Throws: `PipelineError` when the file cannot be read or names an unknown tenant or provider;
    ///   a row's failure is never thrown but reported as its outcome.
    public func run(
        path: String, tenant: String, provider: String? = nil, dryRun: Bool = false, progress: Progress? = nil
    ) async throws(PipelineError) -> RunReport {
        let intake = try await self.intake(path: path, tenant: tenant, provider: provider, dryRun: dryRun)
        let header = intake.header
        let results: [ResultRow]
        let status: String
        let bulkChangeID: Int64
        switch intake.work {
        case .dryRun(let verdicts):
            (results, status, bulkChangeID) = (verdicts, "VALIDATED", 0)
        case .recorded(let recorded):
            try await apply(recorded, header: header, progress: progress)
            (results, status) = try await finish(recorded.bulkChangeID, type: header.changeType)
            bulkChangeID = recorded.bulkChangeID
        }
        let summary = RunSummary(
            bulkChangeID: bulkChangeID, tenant: tenant, serviceProvider: header.provider.name,
            changeType: header.changeType, sourceFile: path, status: status, results: results,
            startedAt: header.startedAt, finishedAt: workspace.now(), warnings: intake.warnings)
        do {
            let writer = OutboxWriter(root: workspace.configuration.outbox, variant: dryRun ? "validation" : nil)
            let paths = try writer.write(
                results: results, summary: summary, inputColumns: intake.columns, inputValues: intake.values)
            return RunReport(summary: summary, results: results, paths: paths)
        } catch {
            throw .outbox(error)
        }
    }

    /// Reads and validates the file, and records the bulk change (unless a dry run). Only what the
    /// outbox needs of the input is kept, so the parsed rows are freed before devices are processed.
    private func intake(path: String, tenant: String, provider: String?, dryRun: Bool) async throws(PipelineError)
        -> Intake
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
        let context: ValidationContext
        do {
            context = try await ValidationLoader.load(
                for: file, tenantID: tenantID, providerID: providerID, now: startedAt, in: workspace.store)
        } catch {
            throw .store(error)
        }
        let verdicts = RowValidator.validate(file, context: context)
        let header = RunHeader(
            tenant: tenant, tenantID: tenantID, provider: providerRecord, changeType: file.changeType,
            sourceFile: path, contentHash: (try? SHA256.hex(ofFile: path)) ?? "", startedAt: startedAt)
        let work: Intake.Work
        if dryRun {
            work = .dryRun(
                zip(file.rows, verdicts).map { DryRun.result(row: $0, verdict: $1, type: file.changeType) })
        } else {
            work = .recorded(try await record(header, rows: file.rows, verdicts: verdicts))
        }
        return Intake(
            header: header, columns: file.columns,
            values: Dictionary(uniqueKeysWithValues: file.rows.map { ($0.number, $0.values) }),
            warnings: file.warnings.map(\.description), work: work)
    }

    /// The tenant's id and the provider's record; without a provider name, the only configured one.
    private func resolve(tenant: String, provider: String?) async throws(PipelineError) -> (
        Int64, ServiceProviderRecord
    ) {
        let configured = workspace.configuration.serviceProviders.map(\.name)
        guard let name = provider ?? (configured.count == 1 ? configured[0] : nil) else {
            throw .unknownProvider("(none named)", known: configured)
        }
        return (try await workspace.tenantID(named: tenant), try await workspace.provider(named: name))
    }

    /// Creates the bulk change and its details: REJECTED rows final at once, the others PENDING.
    private func record(_ header: RunHeader, rows: [InputRow], verdicts: [RowVerdict]) async throws(PipelineError)
        -> RecordedChange
    {
        let change = NewBulkChange(
            tenantID: header.tenantID, providerID: header.provider.id ?? 0, changeType: header.changeType.slug,
            sourceFileName: header.sourceFile, contentHash: header.contentHash, createdAt: header.startedAt)
        do {
            return try await workspace.store.write { connection in
                let id = try connection.createBulkChange(change)
                var pending: [PendingDevice] = []
                // In slices, so a large file never holds all its detail rows (and their JSON) at once.
                for start in stride(from: 0, to: rows.count, by: Self.detailBatch) {
                    let range = start..<min(start + Self.detailBatch, rows.count)
                    let details = range.map { Self.detail(row: rows[$0], verdict: verdicts[$0]) }
                    let ids = try connection.insertDetails(bulkChangeID: id, details)
                    for (offset, index) in range.enumerated() {
                        if case .success(let request) = verdicts[index] {
                            pending.append(PendingDevice(detailID: ids[offset], request: request))
                        }
                    }
                }
                try connection.markBulkChangeStarted(id: id, at: header.startedAt)
                return RecordedChange(bulkChangeID: id, pending: pending)
            }
        } catch {
            throw .store(error)
        }
    }

    /// Detail rows written per insert.
    private static let detailBatch = 5000

    /// The detail of one row: PENDING with its typed request as JSON, or REJECTED with the reason.
    private static func detail(row: InputRow, verdict: RowVerdict) -> NewDetail {
        let iccid = row.fields["iccid"] ?? ""
        switch verdict {
        case .success(let request):
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = .sortedKeys
            let json = (try? encoder.encode(request)).map { String(decoding: $0, as: UTF8.self) }
            return NewDetail(
                rowNumber: row.number, iccid: iccid, requestJSON: json, status: DetailStatus.pending.rawValue,
                message: nil)
        case .failure(let rejection):
            return NewDetail(
                rowNumber: row.number, iccid: iccid, requestJSON: nil, status: Outcome.rejected.rawValue,
                message: rejection.description)
        }
    }

    /// Pre-flight, then every pending device through its processor.
    private func apply(_ recorded: RecordedChange, header: RunHeader, progress: Progress?) async throws(PipelineError) {
        let fanOut = FanOut(workspace: workspace, changeType: header.changeType, progress: progress)
        do {
            let client = try Preflight.check(header.provider, workspace: workspace)
            await fanOut.run(
                recorded.pending,
                context: ProcessingContext(
                    tenantID: header.tenantID, jasper: client, provider: header.provider, now: workspace.now,
                    verification: workspace.verification))
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
                let rows = try connection.details(bulkChangeID: id, withRequests: false).map { detail in
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

/// Told how many devices are done, and of how many: `(done, total)`.
public typealias Progress = @Sendable (Int, Int) -> Void

/// What one run is about.
struct RunHeader: Sendable {
    var tenant: String
    var tenantID: Int64
    var provider: ServiceProviderRecord
    var changeType: ChangeType
    var sourceFile: String
    /// SHA-256 of the file's bytes, hex.
    var contentHash: String
    var startedAt: Date
}

/// What is kept of an input file once it is validated and recorded.
struct Intake: Sendable {
    /// What is left to do: report a dry run, or process a recorded bulk change.
    enum Work: Sendable {
        case dryRun([ResultRow])
        case recorded(RecordedChange)
    }

    var header: RunHeader
    var columns: [String]
    /// Each row's input cells by row number, for the errors file.
    var values: [Int: [String]]
    var warnings: [String]
    var work: Work
}

/// A recorded bulk change and the devices waiting to be processed.
struct RecordedChange: Sendable {
    var bulkChangeID: Int64
    var pending: [PendingDevice]
}

/// A valid row waiting for its processor; its device record is read just before it is processed.
struct PendingDevice: Sendable {
    var detailID: Int64
    var request: ChangeRequest
}

/// What a run produced: the summary, one result per input row, and the outbox files.
public struct RunReport: Sendable {
    public var summary: RunSummary
    public var results: [ResultRow]
    public var paths: OutboxPaths
}
