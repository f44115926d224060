import PropertyWatchCore

/// Replays journaled inputs through the core to rebuild its state. The actions they cause
/// were carried out when the inputs were first committed, so they are discarded.
struct JournalReplay {
    let journal: Journal
    let decoder: MessageDecoder

    /// What one replay went through.
    struct Result: Equatable {
        /// Broker messages that decoded and were applied.
        var messages = 0
        /// Journal rows read: messages, start markers, operator inputs.
        var rows = 0
        /// The id of the last row the state reflects: the last row read, else the start.
        var lastRow: Int64
    }

    /// Applies every journaled input after row `position` to `watch`, in order.
    func replay(after position: Int64, into watch: inout Watch) throws -> Result {
        var result = Result(lastRow: position)
        try journal.replay(after: position) { stored in
            result.rows += 1
            result.lastRow = stored.id
            let now = Timestamp(millisecondsSinceEpoch: stored.receivedAt)
            if stored.topic == Pipeline.startedTopic {
                watch.resume(at: now)
                return
            }
            if stored.topic == OperatorInput.topic {
                if let input = OperatorInput.decode(stored.payload) { _ = input.apply(to: &watch, now: now) }
                return
            }
            let decoded = stored.payload.withUnsafeBytes { decoder.decode(topic: stored.topic, payload: $0, receivedAt: now) }
            if case .message(let message) = decoded {
                _ = watch.handle(message, now: now)
                result.messages += 1
            }
        }
        return result
    }
}
