/// Batched handling, what the pipeline calls for each committed batch.
extension CorrelationEngine {
    /// Handles journaled messages in order, each with its receive time: the same actions (in
    /// the same order) and the same state as calling `handle(_:now:)` for each in turn.
    public mutating func handle(batch: [(InboundMessage, Timestamp)]) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        actions.reserveCapacity(batch.count / 8)
        for (message, now) in batch {
            let t = now.millisecondsSinceEpoch
            advance(to: t, into: &actions)
            apply(message, ref: resolve(message), now: t, into: &actions)
        }
        return actions
    }

    /// `handle(_:now:)` for a message `resolve` resolved to `ref`.
    mutating func handle(_ message: InboundMessage, now: Timestamp, ref: DeviceRef?) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        let t = now.millisecondsSinceEpoch
        advance(to: t, into: &actions)
        apply(message, ref: ref, now: t, into: &actions)
        return actions
    }

    /// Bytes of engine state per configured device (its liveness and its alarm state) and per
    /// site, for sizing memory and for benchmarks.
    public static var stateFootprint: (perDevice: Int, perSite: Int) {
        (MemoryLayout<DeviceLiveness>.stride + MemoryLayout<DeviceState>.stride, MemoryLayout<SiteState>.stride)
    }
}
