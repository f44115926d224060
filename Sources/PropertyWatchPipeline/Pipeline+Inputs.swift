import PropertyWatchCore

/// Inputs that do not come through the broker (operator commands, webhook outcomes, the
/// Frigate backfill's events), queued in `inputs` from any thread and journaled and applied
/// within the pipeline's next commit; and the handlers told what a commit caused.
extension Pipeline {
    /// Queues an operator command or a webhook result; the pipeline journals and applies it
    /// within its next step (at most `idleTickMilliseconds` later). Thread-safe.
    public func submit(_ input: OperatorInput) {
        inputs.submit(input)
    }

    /// Called (on the pipeline thread) for each escalation to the central once it is
    /// committed; the webhook sender delivers it and submits the outcome.
    public func onCentralEscalation(_ handler: @escaping @Sendable (CentralEscalation) -> Void) {
        escalationHandler.withLock { $0 = handler }
    }

    /// Queues an input in the broker's form (topic and payload) that did not come through the
    /// broker: the Frigate backfill's events. Within the next step it is decoded like any
    /// message, journaled under `topic` (so a replay sees it) or dead-lettered, and applied.
    /// Thread-safe.
    public func submit(topic: String, payload: [UInt8]) {
        inputs.submit(topic: topic, payload: payload)
    }

    /// Called (on the pipeline thread) after a commit in which the core asked for the camera
    /// events of a gap to be fetched (`WatchAction.fetchMissedVideo`). It must not block.
    public func onFetchMissedVideo(_ handler: @escaping @Sendable (_ from: Timestamp, _ until: Timestamp) -> Void) {
        fetchHandler.withLock { $0 = handler }
    }

    /// Called (on the pipeline thread) after each commit, once its actions are handed to the
    /// publisher: the live dashboard reads what is new. It must not block.
    public func onCommit(_ observer: @escaping @Sendable () -> Void) {
        commitObserver.withLock { $0 = observer }
    }

    /// Journals and applies queued operator inputs and external inputs.
    func applySubmitted(now: Timestamp, in tx: JournalTransaction, into actions: inout [WatchAction]) throws {
        let taken = inputs.take()
        try pruner.recordStaleCloses(in: tx)
        for external in taken.externals {
            try applyExternal(topic: external.topic, payload: external.payload, now: now, in: tx, into: &actions)
        }
        for input in taken.inputs {
            let payload = input.encoded()
            try Array(OperatorInput.topic.utf8).withUnsafeBytes { topic in
                try payload.withUnsafeBytes { p in
                    try tx.insertEvent(receivedAt: now.millisecondsSinceEpoch, topic: topic, payload: p, site: nil, device: nil, sequence: nil)
                }
            }
            actions.append(contentsOf: input.apply(to: &watch, now: now))
        }
    }

    /// One external input: journaled and applied when it decodes, dead-lettered when refused.
    private func applyExternal(topic: String, payload: [UInt8], now: Timestamp, in tx: JournalTransaction, into actions: inout [WatchAction]) throws {
        let result = payload.withUnsafeBytes { decoder.decode(topic: topic, payload: $0, receivedAt: now) }
        try Array(topic.utf8).withUnsafeBytes { topicBytes in
            try payload.withUnsafeBytes { p in
                switch result {
                case .message(let message):
                    let keys = JournalKeys(message)
                    try tx.insertEvent(
                        receivedAt: now.millisecondsSinceEpoch, topic: topicBytes, payload: p,
                        site: keys.site, device: keys.device, sequence: keys.sequence)
                    actions.append(contentsOf: watch.handle(message, now: now))
                    statistics.update { $0.accepted += 1 }
                case .ignored:
                    statistics.update { $0.ignored += 1 }
                case .rejected(let rejection):
                    try tx.insertDeadLetter(receivedAt: now.millisecondsSinceEpoch, topic: topicBytes, payload: p, rejection: rejection)
                    rejectionLog.record(rejection, topic: topic, now: now.millisecondsSinceEpoch, logger: logger)
                    statistics.update { $0.rejected[rejection.reason, default: 0] += 1 }
                }
            }
        }
    }
}
