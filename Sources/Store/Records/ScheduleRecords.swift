import Foundation

/// A queue entry whose effective date has come and that no scheduler run has taken up yet.
public struct DueScheduledEntry: Sendable, Equatable {
    /// Which queue holds it.
    public enum Queue: String, Sendable {
        /// `rate_plan_queue`: a customer rate plan change, applied in the store alone.
        case ratePlan = "RATE_PLAN"
        /// `scheduled_change`: a row processed through its change type's processor (Control Center).
        case carrier = "CARRIER"
    }

    public var queue: Queue
    /// The entry's id in its queue.
    public var id: Int64
    /// The SCHEDULED detail that queued it.
    public var detailID: Int64
    /// The bulk change the detail belongs to (the entry's parent).
    public var bulkChangeID: Int64
    public var effectiveDate: Date

    public init(queue: Queue, id: Int64, detailID: Int64, bulkChangeID: Int64, effectiveDate: Date) {
        self.queue = queue
        self.id = id
        self.detailID = detailID
        self.bulkChangeID = bulkChangeID
        self.effectiveDate = effectiveDate
    }
}

/// One row a scheduler run took up, as it stands now, with what its report needs of its parent.
public struct ScheduleRunRow: Sendable, Equatable {
    public var detail: DetailRecord
    public var tenantID: Int64
    /// The parent bulk change's change type slug.
    public var changeType: String
    /// The parent bulk change's input file.
    public var sourceFileName: String

    public init(detail: DetailRecord, tenantID: Int64, changeType: String, sourceFileName: String) {
        self.detail = detail
        self.tenantID = tenantID
        self.changeType = changeType
        self.sourceFileName = sourceFileName
    }
}

/// A scheduler run: the due entries one pass took up, and whether its report was made.
public struct ScheduleRun: Sendable, Equatable {
    public var id: Int64
    public var startedAt: Date
    /// When its results files, its parents' files and its emails were done; nil until then.
    public var reportedAt: Date?

    public init(id: Int64, startedAt: Date, reportedAt: Date? = nil) {
        self.id = id
        self.startedAt = startedAt
        self.reportedAt = reportedAt
    }
}

/// An archived device record removed once its retention date had passed.
public struct PurgedDevice: Sendable, Equatable {
    public var deviceID: Int64
    public var tenantID: Int64
    public var iccid: String
    public var archivedAt: Date
    public var retainUntil: Date
    /// How many device history rows went with it.
    public var historyRows: Int

    public init(
        deviceID: Int64, tenantID: Int64, iccid: String, archivedAt: Date, retainUntil: Date, historyRows: Int
    ) {
        self.deviceID = deviceID
        self.tenantID = tenantID
        self.iccid = iccid
        self.archivedAt = archivedAt
        self.retainUntil = retainUntil
        self.historyRows = historyRows
    }
}
