import Foundation
import Logging
import PropertyWatchCore

/// Start-up and rebuilds: the core's state from the newest usable snapshot and the journal's
/// tail (`JournalReplay`), and the outbox rows committed but never confirmed sent again.
extension Pipeline {
    /// What `recover()` found.
    public struct RecoveryReport: Sendable, Equatable {
        public var replayedInputs: Int
        public var resentActions: Int
        /// The journal position of the snapshot the state was restored from; nil: the whole
        /// journal was replayed.
        public var snapshotPosition: Int64?
        /// Journal rows replayed (inputs, start markers, operator inputs) after the snapshot.
        public var replayedRows: Int
    }

    /// Rebuilds the core's state by replaying every journaled input through it (its actions
    /// were already carried out, so they are discarded), then re-publishes outbox rows that
    /// were committed but never confirmed by the broker.
    public func recover() throws -> RecoveryReport {
        let (snapshot, replayed) = try replayJournal()
        // Everything unconfirmed is sent again, read back from the journal a window at a time.
        let pending = try journal.pendingOutboxCount()
        outbox.resendAll()
        if let now = clock.now() {
            try commit { tx in try markStart(at: now, in: tx) }
            publish([])
        }
        try refillOutbox()
        statistics.update { $0.replayed = replayed.messages }
        logger.info("journal.recovered", metadata: [
            "journal.inputs": "\(replayed.messages)", "journal.rows": "\(replayed.rows)", "outbox.resent": "\(pending)",
            "snapshot.position": "\(snapshot.map(String.init) ?? "none")",
        ])
        return RecoveryReport(
            replayedInputs: replayed.messages, resentActions: pending, snapshotPosition: snapshot,
            replayedRows: replayed.rows)
    }

    /// Rebuilds the core's state: from the newest usable snapshot, else from nothing, then by
    /// replaying the journaled inputs after it. Returns the snapshot's position (nil: none
    /// was used) and what was replayed.
    @discardableResult
    func replayJournal() throws -> (snapshot: Int64?, replayed: JournalReplay.Result) {
        watch = Watch(directory: directory)
        let snapshot = restoreSnapshot()
        let result = try JournalReplay(journal: journal, decoder: decoder).replay(after: snapshot ?? 0, into: &watch)
        snapshotRow = snapshot ?? 0
        lastInputRow = result.lastRow
        return (snapshot, result)
    }

    /// After a failed commit: rebuilds the core from the journal, which must still hold every
    /// input committed before. Throws `PipelineError.stopped` when it does not (rows vanished
    /// behind the pipeline's back): the core would silently miss inputs it had acted on.
    func rebuildAfterFailedCommit() throws {
        let committed = lastInputRow
        try replayJournal()
        guard lastInputRow >= committed else {
            throw PipelineError.stopped(
                reason: "journal inconsistent: its inputs end at row \(lastInputRow), but rows up to \(committed) were committed")
        }
        needsRebuild = false
    }
}
