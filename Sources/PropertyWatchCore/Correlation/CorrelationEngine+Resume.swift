extension CorrelationEngine {
    /// The daemon (re)starts at `now`. The first call starts supervision; later calls mean the
    /// daemon was down until `now`: silence during the downtime is PropertyWatch's, not the
    /// devices', so every supervised device that was not already offline gets a fresh grace
    /// period instead of being declared offline on the first tick.
    ///
    /// The pipeline journals each start as an input, so a replay makes the same calls.
    public mutating func resume(at now: Timestamp) {
        let t = now.millisecondsSinceEpoch
        guard state.startedAt != nil else {
            start(at: t)
            return
        }
        for slot in state.live.indices where !state.live[slot].offline {
            state.live[slot].lastSeen = max(state.live[slot].lastSeen, t)
        }
    }
}
