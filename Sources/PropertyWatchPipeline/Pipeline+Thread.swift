import Foundation
import PropertyWatchMQTT

/// The pipeline thread: started once, stopped by `stopAndDrain()` (a clean stop that commits
/// what was received), or by itself on a `PipelineError`, which it reports to the handler
/// registered with `onTermination` (the daemon's `PipelineService` throws it).
extension Pipeline {
    /// Starts the pipeline thread.
    public func start() {
        finished.lock()
        running = true
        finished.unlock()
        let thread = Thread { [self] in
            runLoop()
            finished.lock()
            running = false
            finished.broadcast()
            finished.unlock()
            let (error, handler) = termination.withLock { state in
                state.ended = true
                return (state.error, state.handler)
            }
            if let error { handler?(error) }
        }
        thread.name = "pipeline"
        thread.start()
    }

    /// Asks the thread to finish: it processes every batch already in the inbox, then stops.
    /// Returns when it has (at once when it has stopped by itself).
    public func stopAndDrain() {
        stopRequested.store(true, ordering: .releasing)
        finished.lock()
        while running { finished.wait() }
        finished.unlock()
    }

    /// Why the pipeline stopped by itself; nil while it runs and after a clean stop.
    public var failure: PipelineError? { termination.withLock { $0.error } }

    /// Calls `handler` (once, on the pipeline thread) when the thread ends on a
    /// `PipelineError`; at once if it already has.
    public func onTermination(_ handler: @escaping @Sendable (PipelineError) -> Void) {
        let error = termination.withLock { state -> PipelineError? in
            state.handler = handler
            return state.ended ? state.error : nil
        }
        if let error { handler(error) }
    }

    var isTerminated: Bool { termination.withLock { $0.error != nil } }

    /// Ends the pipeline on a condition it cannot recover from: nothing more is read, committed
    /// or published, and no snapshot is taken (the core's state is not trusted). The batch is
    /// kept unacknowledged; the broker delivers it again to the next start.
    func terminate(_ error: PipelineError, holding batch: MQTTMessageBatch?) {
        if let batch { held = batch }
        termination.withLock { if $0.error == nil { $0.error = error } }
        stopRequested.store(true, ordering: .releasing)
        logger.critical("pipeline.stopped", metadata: ["error": "\(error)", "pipeline.held": "\(held?.count ?? 0)"])
    }

    func runLoop() {
        while !stopRequested.load(ordering: .acquiring) {
            step(waitMilliseconds: idleTickMilliseconds)
        }
        guard !isTerminated else { return }
        // Drain: what is in the inbox is committed; while the journal refuses commits, a few
        // more attempts are made before giving up on what is held.
        var attempts = 0
        while attempts < 5 {
            if step(waitMilliseconds: 0) { continue }
            guard outage != nil, !isTerminated else { break }
            attempts += 1
            Thread.sleep(forTimeInterval: Double(JournalOutage.firstDelayNanoseconds) / 1e9)
        }
        if let held, outage != nil {
            logger.critical("journal.shutdown.uncommitted", metadata: [
                "pipeline.held": "\(held.count)", "error": "\(outage?.lastError ?? "")",
            ])
        }
        guard !isTerminated else { return }
        recordFinalConfirmations()
        // A clean stop leaves a snapshot, so the next start replays nothing or almost nothing.
        if snapshotPolicy.enabled, eventsSinceSnapshot > 0 { takeSnapshot() }
        waitForSnapshots()
    }

    /// At shutdown: records the confirmations the broker sent since the last commit, so a
    /// clean restart does not send those rows again (in a pair, the standby that takes over
    /// has matched them against this daemon's publishes and will not send them either). Rows
    /// whose acknowledgement had not arrived when reading stopped are sent again after a
    /// restart, with their ids (receivers deduplicate).
    func recordFinalConfirmations() {
        guard outage == nil else { return }
        outbox.confirm(publisher.finalConfirmations(timeoutMilliseconds: 1_000))
        guard !outbox.confirmed.isEmpty, let now = clock.now() else { return }
        let ids = outbox.confirmed
        do {
            try journal.commit { tx in try tx.markSent(ids, at: now.millisecondsSinceEpoch) }
            outbox.marked(at: now.millisecondsSinceEpoch)
        } catch {
            logger.warning("outbox.confirmations.unrecorded", metadata: ["outbox.rows": "\(ids.count)", "error": "\(error)"])
        }
    }
}
