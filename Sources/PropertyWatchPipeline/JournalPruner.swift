import Logging
import PropertyWatchCore

/// Applies the retention periods to the journal, hourly and in chunks between idle steps so
/// ingestion never waits long (see `Journal.purge`, which records each purge), and closes
/// incidents still open past `retention.staleIncident` as stale.
///
/// A stale incident is closed through the core like an operator's close (submitted to the
/// pipeline's input queue), so the close is journaled, replayed and recorded as a transition;
/// the record of the closes (`stale-incidents`) is written in the commit that applies them.
/// Runs on the pipeline thread only.
struct JournalPruner {
    let retention: JournalRetention
    /// When pruning last ran (pipeline clock, milliseconds).
    private(set) var lastPrune: Int64?
    /// Whether the last purge left inputs to remove (it removes at most a chunk).
    private(set) var unfinished = false
    /// The record of stale incidents being closed, written with the closes.
    private var staleRecord: PurgeRecord?
    private var staleRecordWritten = false

    /// How often pruning runs when it has finished.
    static let interval: Int64 = 3_600_000

    init(retention: JournalRetention) {
        self.retention = retention
    }

    func isDue(now: Int64) -> Bool {
        unfinished || lastPrune.map { now - $0 >= Self.interval } ?? true
    }

    /// Purges one chunk when due; at the start of a round, first submits the closes of stale
    /// incidents to `inputs`. Returns whether journaled inputs were removed.
    @discardableResult
    mutating func pruneIfDue(now: Int64, journal: Journal, inputs: OperatorInputQueue, logger: Logger) throws -> Bool {
        guard isDue(now: now) else { return false }
        if !unfinished { try closeStaleIncidents(now: now, journal: journal, inputs: inputs, logger: logger) }
        let (records, unfinished) = try journal.purge(now: now, retention: retention)
        self.unfinished = unfinished
        lastPrune = now
        for record in records {
            logger.info("journal.purged", metadata: [
                "purge.what": "\(record.what)", "purge.count": "\(record.count)", "purge.cutoff": "\(record.cutoff)",
            ])
        }
        return records.contains { $0.what == "events" || $0.what == "camera-events" }
    }

    /// Submits a close of every incident still open that opened before the stale cut-off,
    /// unless closes submitted earlier are not committed yet.
    mutating func closeStaleIncidents(now: Int64, journal: Journal, inputs: OperatorInputQueue, logger: Logger) throws {
        guard staleRecord == nil else { return }
        let cutoff = now - retention.staleIncident.value
        let stale = try journal.openIncidents(openedBefore: cutoff)
        guard !stale.isEmpty else { return }
        let days = JournalRetention.wholeDays(retention.staleIncident)
        for id in stale {
            inputs.submit(.close(incident: IncidentID(id), author: "propertywatchd", reason: "stale: still open \(days) days after it opened"))
            logger.warning("incident.closed.stale", metadata: ["incident.id": "\(id)", "incident.stale.days": "\(days)"])
        }
        staleRecord = PurgeRecord(what: "stale-incidents", count: stale.count, time: now, cutoff: cutoff)
    }

    /// In the commit that applies submitted inputs: writes the record of stale closes once.
    mutating func recordStaleCloses(in tx: JournalTransaction) throws {
        guard let staleRecord, !staleRecordWritten else { return }
        try tx.recordPurge(staleRecord)
        staleRecordWritten = true
    }

    /// The commit under way succeeded: a record written in it is done.
    mutating func committed() {
        guard staleRecordWritten else { return }
        staleRecord = nil
        staleRecordWritten = false
    }

    /// The commit under way failed: a record written in it is written again with the retry.
    mutating func commitFailed() {
        staleRecordWritten = false
    }
}
