import Foundation
import PropertyWatchCore
import PropertyWatchMQTT

/// A journal that refuses commits (disk full, an I/O error): the pipeline holds the batch,
/// reads nothing new, raises the alarm once, and retries with back-off until a commit works.
/// An outage never ends the pipeline.
extension Pipeline {
    /// During an outage: once the back-off has passed, rebuilds the core if needed and tries
    /// the held batch (or, holding none, an idle commit) again. A journal that no longer
    /// holds what was committed ends the pipeline (`rebuildAfterFailedCommit`).
    func retry(waitMilliseconds: Int) -> Bool {
        guard let outage else { return false }
        let now = DispatchTime.now().uptimeNanoseconds
        if !outage.isDue(at: now) {
            let wait = min(outage.retryAt - now, UInt64(max(0, waitMilliseconds)) * 1_000_000)
            if wait > 0 { Thread.sleep(forTimeInterval: Double(wait) / 1e9) }
            guard outage.isDue(at: DispatchTime.now().uptimeNanoseconds) else { return false }
        }
        do {
            if needsRebuild { try rebuildAfterFailedCommit() }
            // A failed attempt restores this copy instead of replaying the journal again.
            let saved = watch
            outbox.confirm(publisher.takeConfirmations())
            do {
                if let batch = held {
                    try process(batch)
                    held = nil
                    inbox.recycle(batch)
                } else {
                    try idle()
                }
            } catch {
                watch = saved
                needsRebuild = false
                throw error
            }
        } catch let error as PipelineError {
            terminate(error, holding: nil)
            return false
        } catch {
            failed(error, holding: nil)
            return false
        }
        recovered()
        return true
    }

    /// A commit (or a journal read) failed: raise the alarm on every channel at the first
    /// failure, keep the batch, and schedule a retry.
    func failed(_ error: any Error, holding batch: MQTTMessageBatch?) {
        if let batch { held = batch }
        let now = DispatchTime.now().uptimeNanoseconds
        let text = "\(error)"
        let heldCount = held?.count ?? 0
        if outage == nil {
            let wall = Int64(Date().timeIntervalSince1970 * 1000)
            outage = JournalOutage(since: wall, error: text, now: now)
            logger.critical("journal.commit.failed", metadata: [
                "error": "\(text)", "pipeline.held": "\(heldCount)", "journal.path": "\(journal.path)",
            ])
            publishJournalWarning(
                "journal-failing", "journal commits fail (\(text)); not reading, holding \(heldCount) messages, retrying", at: wall)
        } else {
            outage?.failed(error: text, now: now)
            if let attempts = outage?.attempts, attempts.nonzeroBitCount == 1 {
                // 2, 4, 8, … attempts: a reminder that does not flood the log.
                logger.error("journal.commit.retry.failed", metadata: [
                    "error": "\(text)", "journal.attempts": "\(attempts)", "pipeline.held": "\(heldCount)",
                ])
            }
        }
        statistics.update { s in
            s.journalFailing = true
            s.journalCommitFailures += 1
            s.heldMessages = heldCount
            s.journalError = text
        }
    }

    /// A commit succeeded after an outage: reading resumes.
    private func recovered() {
        guard let outage else { return }
        self.outage = nil
        let wall = Int64(Date().timeIntervalSince1970 * 1000)
        logger.notice("journal.commit.recovered", metadata: [
            "journal.attempts": "\(outage.attempts)", "journal.outage.ms": "\(wall - outage.since)",
        ])
        publishJournalWarning("journal-recovered", "journal commits work again after \(outage.attempts) failed attempts", at: wall)
        statistics.update { s in
            s.journalFailing = false
            s.heldMessages = 0
            s.journalError = nil
        }
    }

    /// Tells operators about the journal directly (the outbox is in the journal, so these
    /// cannot wait for a commit).
    private func publishJournalWarning(_ code: String, _ message: String, at wall: Int64) {
        publisher.publish(
            topic: Topic.warnings,
            payload: MessageEncoder.warning(site: nil, code: code, message: message, time: Timestamp(millisecondsSinceEpoch: wall)),
            qos: 1, retain: false, confirmationToken: nil)
    }
}
