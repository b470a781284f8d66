import BulkChange
import Foundation

/// One line of a results file: what happened to one input row.
public struct ResultRow: Equatable, Sendable {
    /// The 1-based number of the data row in the input file.
    public var row: Int
    public var iccid: String
    public var changeType: ChangeType
    /// The outcome; `nil` in a dry run (`bulkdrop validate`) for a valid row, written as `VALID`.
    public var outcome: Outcome?
    public var message: String
    public var oldValue: String?
    public var newValue: String?
    public var processedAt: Date?

    public init(
        row: Int, iccid: String, changeType: ChangeType, outcome: Outcome?, message: String, oldValue: String? = nil,
        newValue: String? = nil, processedAt: Date? = nil
    ) {
        self.row = row
        self.iccid = iccid
        self.changeType = changeType
        self.outcome = outcome
        self.message = message
        self.oldValue = oldValue
        self.newValue = newValue
        self.processedAt = processedAt
    }

    /// What the outcome column says.
    public var outcomeLabel: String { outcome?.rawValue ?? "VALID" }

    /// Whether the row belongs in the errors file.
    public var needsAttention: Bool { outcome.map(Self.attentionOutcomes.contains) ?? false }

    /// The outcomes of rows a partner fixes and drops again (the errors file).
    public static let attentionOutcomes: [Outcome] = [.failed, .rejected]
}

/// The counts and times of one processed file (`<stem>.summary.json`).
public struct RunSummary: Codable, Equatable, Sendable {
    public var bulkChangeID: Int64
    public var tenant: String
    public var serviceProvider: String
    public var changeType: ChangeType
    public var sourceFile: String
    /// The bulk change's status as derived from its details.
    public var status: String
    public var rows: Int
    public var counts: [String: Int]
    public var startedAt: Date
    public var finishedAt: Date
    public var durationSeconds: Double
    public var warnings: [String]
    /// Rows Control Center accepted but does not show yet: the service keeps checking them, and
    /// these files are written again once they settle.
    public var awaitingConfirmation: [Int]

    public init(
        bulkChangeID: Int64, tenant: String, serviceProvider: String, changeType: ChangeType, sourceFile: String,
        status: String, results: [ResultRow], startedAt: Date, finishedAt: Date, warnings: [String]
    ) {
        var tally = ResultTally()
        tally.add(results)
        self.init(
            bulkChangeID: bulkChangeID, tenant: tenant, serviceProvider: serviceProvider, changeType: changeType,
            sourceFile: sourceFile, status: status, tally: tally, startedAt: startedAt, finishedAt: finishedAt,
            warnings: warnings)
    }

    /// A summary from counts kept while the rows streamed past.
    public init(
        bulkChangeID: Int64, tenant: String, serviceProvider: String, changeType: ChangeType, sourceFile: String,
        status: String, tally: ResultTally, startedAt: Date, finishedAt: Date, warnings: [String]
    ) {
        self.bulkChangeID = bulkChangeID
        self.tenant = tenant
        self.serviceProvider = serviceProvider
        self.changeType = changeType
        self.sourceFile = sourceFile
        self.status = status
        rows = tally.rows
        counts = tally.counts
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        durationSeconds = finishedAt.timeIntervalSince(startedAt)
        self.warnings = warnings
        awaitingConfirmation = tally.awaitingConfirmation
    }

    /// How many rows ended with `outcome`.
    public func count(_ outcome: Outcome) -> Int { counts[outcome.rawValue] ?? 0 }

    /// How many rows the errors file holds: those a partner fixes and drops again.
    public var needingAttention: Int { ResultRow.attentionOutcomes.reduce(0) { $0 + count($1) } }
}

/// Counts of result rows by outcome label, kept as rows stream past (a million rows need no array).
public struct ResultTally: Equatable, Sendable {
    public private(set) var rows = 0
    public private(set) var counts = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, 0) })
    /// The row numbers still awaiting confirmation.
    public private(set) var awaitingConfirmation: [Int] = []

    public init() {}

    /// Counts `results`.
    public mutating func add(_ results: [ResultRow]) {
        for result in results {
            rows += 1
            counts[result.outcomeLabel, default: 0] += 1
            if result.outcome == .awaitingConfirmation { awaitingConfirmation.append(result.row) }
        }
    }
}
