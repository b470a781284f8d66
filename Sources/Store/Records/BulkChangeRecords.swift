import Foundation

/// A bulk change about to be created from one input file.
public struct NewBulkChange: Sendable, Equatable {
    public var tenantID: Int64
    public var providerID: Int64
    /// The change type's slug, e.g. `status-update`.
    public var changeType: String
    public var sourceFileName: String
    /// The hash of the file's content, so the same file is never applied twice.
    public var contentHash: String
    public var createdAt: Date
    /// The input's column names, for writing the errors file again later.
    public var inputColumns: [String]
    /// What reading the input warned about, for the summary.
    public var warnings: [String]

    /// A new bulk change.
    public init(
        tenantID: Int64, providerID: Int64, changeType: String, sourceFileName: String, contentHash: String,
        createdAt: Date, inputColumns: [String] = [], warnings: [String] = []
    ) {
        self.tenantID = tenantID
        self.providerID = providerID
        self.changeType = changeType
        self.sourceFileName = sourceFileName
        self.contentHash = contentHash
        self.createdAt = createdAt
        self.inputColumns = inputColumns
        self.warnings = warnings
    }
}

/// A stored bulk change with its status and how many details are in each status.
public struct BulkChangeRecord: Sendable, Equatable {
    public var id: Int64
    public var tenantID: Int64
    public var providerID: Int64
    public var changeType: String
    public var sourceFileName: String
    public var contentHash: String
    /// PENDING, PROCESSING, AWAITING_CONFIRMATION, PROCESSED, COMPLETED_WITH_ERRORS or FAILED.
    public var status: String
    /// Detail status → number of details in it; statuses without details are absent.
    public var counts: [String: Int]
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The input's column names (empty for a bulk change stored before they were kept).
    public var inputColumns: [String]
    public var warnings: [String]
    /// The name its outbox files carry (`<stem>.results.csv`); nil for a bulk change stored before
    /// stems were kept, whose files carry its source file's name.
    public var resultStem: String?

    /// A bulk change record.
    public init(
        id: Int64, tenantID: Int64, providerID: Int64, changeType: String, sourceFileName: String,
        contentHash: String, status: String, counts: [String: Int] = [:], createdAt: Date, startedAt: Date? = nil,
        finishedAt: Date? = nil, inputColumns: [String] = [], warnings: [String] = [], resultStem: String? = nil
    ) {
        self.inputColumns = inputColumns
        self.warnings = warnings
        self.resultStem = resultStem
        self.id = id
        self.tenantID = tenantID
        self.providerID = providerID
        self.changeType = changeType
        self.sourceFileName = sourceFileName
        self.contentHash = contentHash
        self.status = status
        self.counts = counts
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// One input row of a bulk change, about to be stored.
public struct NewDetail: Sendable, Equatable {
    /// The row's 1-based number in the input file.
    public var rowNumber: Int
    public var iccid: String
    /// The validated request, as JSON; nil for a row that did not validate.
    public var requestJSON: String?
    /// PENDING, or REJECTED for a row that failed validation (final from the start).
    public var status: String
    public var message: String?
    /// The row's cells as they were read, for the errors file.
    public var inputCells: [String]

    /// A new detail.
    public init(
        rowNumber: Int, iccid: String, requestJSON: String? = nil, status: String, message: String? = nil,
        inputCells: [String] = []
    ) {
        self.inputCells = inputCells
        self.rowNumber = rowNumber
        self.iccid = iccid
        self.requestJSON = requestJSON
        self.status = status
        self.message = message
    }
}

/// A stored bulk change detail: one device's request and outcome.
public struct DetailRecord: Sendable, Equatable {
    public var id: Int64
    public var bulkChangeID: Int64
    public var rowNumber: Int
    public var iccid: String
    public var requestJSON: String?
    /// PENDING, PROCESSING, AWAITING_CONFIRMATION, PROCESSED, SCHEDULED, UNCHANGED, NEEDS_CHECK, FAILED or REJECTED.
    public var status: String
    /// Calls made for this detail, retries included.
    public var attempts: Int
    public var message: String?
    public var oldValue: String?
    public var newValue: String?
    /// When the detail reached its final status; nil for one rejected at validation.
    public var processedAt: Date?

    /// A detail record.
    public init(
        id: Int64, bulkChangeID: Int64, rowNumber: Int, iccid: String, requestJSON: String? = nil, status: String,
        attempts: Int = 0, message: String? = nil, oldValue: String? = nil, newValue: String? = nil,
        processedAt: Date? = nil
    ) {
        self.id = id
        self.bulkChangeID = bulkChangeID
        self.rowNumber = rowNumber
        self.iccid = iccid
        self.requestJSON = requestJSON
        self.status = status
        self.attempts = attempts
        self.message = message
        self.oldValue = oldValue
        self.newValue = newValue
        self.processedAt = processedAt
    }
}
