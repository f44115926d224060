import CPrefetch

/// Batched handling: the same work as `handle(_:now:)` per message, in an order that lets the
/// memory system fetch the state of several messages at once.
extension CorrelationEngine {
    /// Handles journaled messages in order, each with its receive time: the same actions (in
    /// the same order) and the same state as calling `handle(_:now:)` for each in turn.
    ///
    /// Before each message is applied, `lookAhead` resolves and prefetches the state of the
    /// messages behind it. Prefetching is only a hint, so the result does not depend on it;
    /// it turns a chain of dependent cache misses per message into independent loads that the
    /// memory system serves in parallel.
    public mutating func handle(batch: [(InboundMessage, Timestamp)]) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        actions.reserveCapacity(batch.count / 8)
        var refs = BatchRefs()
        for i in batch.indices {
            let ref = lookAhead(batch, at: i, into: &refs)
            let t = batch[i].1.millisecondsSinceEpoch
            advance(to: t, into: &actions)
            apply(batch[i].0, ref: ref, now: t, into: &actions)
        }
        return actions
    }

    /// The device of `batch[i]`, resolved earlier; prepares the messages behind it (see
    /// `BatchRefs`). Call for `i = 0, 1, 2, …` in turn, with the same `refs`.
    func lookAhead(_ batch: [(InboundMessage, Timestamp)], at i: Int, into refs: inout BatchRefs) -> DeviceRef? {
        batch.withUnsafeBufferPointer { messages in
            if i == 0 {
                for k in 0..<min(BatchRefs.indexDistance, messages.count) { hashAndPrefetch(messages, k, into: &refs) }
                for k in 0..<min(BatchRefs.stateDistance, messages.count) { resolveAndPrefetch(k, into: &refs) }
            }
            if i + BatchRefs.indexDistance < messages.count {
                hashAndPrefetch(messages, i + BatchRefs.indexDistance, into: &refs)
            }
            if i + BatchRefs.stateDistance < messages.count {
                resolveAndPrefetch(i + BatchRefs.stateDistance, into: &refs)
            }
        }
        return refs[i]
    }

    /// `handle(_:now:)` for a message `lookAhead` resolved to `ref`.
    mutating func handle(_ message: InboundMessage, now: Timestamp, ref: DeviceRef?) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        let t = now.millisecondsSinceEpoch
        advance(to: t, into: &actions)
        apply(message, ref: ref, now: t, into: &actions)
        return actions
    }

    /// The message at `i`, read in place: the buffer's subscript would copy the tuple.
    @inline(__always)
    private static func message(_ messages: UnsafeBufferPointer<(InboundMessage, Timestamp)>, _ i: Int) -> UnsafePointer<InboundMessage> {
        (UnsafeRawPointer(messages.baseAddress!) + i * MemoryLayout<(InboundMessage, Timestamp)>.stride)
            .assumingMemoryBound(to: InboundMessage.self)
    }

    /// First stage for message `k`: its key into the ring, hashed, and its index bucket prefetched.
    @inline(__always)
    private func hashAndPrefetch(_ messages: UnsafeBufferPointer<(InboundMessage, Timestamp)>, _ k: Int, into refs: inout BatchRefs) {
        let slot = k & (BatchRefs.ring - 1)
        guard let (site, device, full) = Self.key(Self.message(messages, k).pointee) else {
            refs.buckets[slot] = -1
            return
        }
        let b = tables.index.bucket(site: site, device: device)
        refs.buckets[slot] = b
        refs.touchesAlarmState[slot] = full
        refs.keys[slot] = (site, device)
        tables.index.prefetch(bucket: b)
    }

    /// Second stage for message `k`: its device found in the (by now cached) bucket, and the
    /// state its handling will touch prefetched.
    @inline(__always)
    private func resolveAndPrefetch(_ k: Int, into refs: inout BatchRefs) {
        let slot = k & (BatchRefs.ring - 1)
        let b = refs.buckets[slot]
        let ref = b >= 0 ? tables.index.find(site: refs.keys[slot].0, device: refs.keys[slot].1, bucket: b) : nil
        refs.refs[slot] = ref ?? DeviceRef(slot: -1, site: -1, rules: 0)
        if let ref { prefetchState(ref, full: refs.touchesAlarmState[slot]) }
    }

    /// Bytes of engine state per configured device (its liveness, its alarm state and its
    /// device-index share) and per site, for sizing memory and for benchmarks.
    public static var stateFootprint: (perDevice: Int, perSite: Int) {
        (MemoryLayout<DeviceLiveness>.stride + MemoryLayout<DeviceState>.stride + 2 * DeviceIndex.entryStride,
         MemoryLayout<SiteState>.stride)
    }

    /// The key of a message's device (nil when it names none), and whether the message goes
    /// past liveness: alarm events, and camera triggers that are correlated.
    @inline(__always)
    private static func key(_ message: InboundMessage) -> (SiteID, DeviceID, Bool)? {
        switch message {
        case .alarm(let event): (event.site, event.device, true)
        case .camera(let trigger): (trigger.site, trigger.camera, trigger.label == .person || trigger.label == .vehicle)
        case .heartbeat(let heartbeat): (heartbeat.site, heartbeat.device, false)
        case .checkIn, .reply, .position, .unitStatus, .video: nil
        }
    }

    /// Prefetches the device's liveness; with `full`, also every cache line of its alarm state
    /// and of its site's state and configuration facts.
    @inline(__always)
    private func prefetchState(_ ref: DeviceRef, full: Bool) {
        Self.prefetch(state.live, Int(ref.slot))
        guard full else { return }
        Self.prefetch(state.devices, Int(ref.slot))
        Self.prefetch(state.sites, Int(ref.site))
        Self.prefetch(tables.devices, Int(ref.slot))
        Self.prefetch(tables.sites, Int(ref.site))
    }

    /// Prefetches every cache line of `array[index]`.
    @inline(__always)
    private static func prefetch<Element>(_ array: [Element], _ index: Int) {
        array.withUnsafeBufferPointer { buffer in
            let start = UnsafeRawPointer(buffer.baseAddress! + index)
            let size = MemoryLayout<Element>.size
            var offset = 0
            while offset < size {
                pw_prefetch(start + offset)
                offset += 64
            }
            pw_prefetch(start + (size - 1))
        }
    }
}
