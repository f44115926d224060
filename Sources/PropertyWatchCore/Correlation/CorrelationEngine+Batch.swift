import CPrefetch

/// Batched handling: the same work as `handle(_:now:)` per message, in an order that lets the
/// memory system fetch the state of several messages at once.
extension CorrelationEngine {
    /// Messages looked at together: enough to overlap their cache misses, few enough that
    /// their state stays in L1 until it is used.
    public static let batchWindow = 16

    /// Handles journaled messages in order, each with its receive time: the same actions (in
    /// the same order) and the same state as calling `handle(_:now:)` for each in turn.
    ///
    /// Each window of `batchWindow` messages is first prepared (`prepare`), then applied one
    /// by one. Preparing only issues prefetch hints, so the result does not depend on it; it
    /// turns a chain of dependent cache misses per message into independent loads that the
    /// memory system serves in parallel.
    public mutating func handle(batch: [(InboundMessage, Timestamp)]) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        actions.reserveCapacity(batch.count / 8)
        var refs = BatchRefs()
        var start = 0
        while start < batch.count {
            let end = min(start + Self.batchWindow, batch.count)
            prepare(batch, start..<end, into: &refs)
            for i in start..<end {
                let t = batch[i].1.millisecondsSinceEpoch
                advance(to: t, into: &actions)
                apply(batch[i].0, ref: refs[i - start], now: t, into: &actions)
            }
            start = end
        }
        return actions
    }

    /// Resolves the devices of `messages[range]` (at most `batchWindow`) into `refs`, in two
    /// passes: hash every key and prefetch its index bucket, then compare keys and prefetch
    /// the state each message will touch.
    func prepare(_ batch: [(InboundMessage, Timestamp)], _ range: Range<Int>, into refs: inout BatchRefs) {
        batch.withUnsafeBufferPointer { prepare($0, range, into: &refs) }
    }

    /// `handle(_:now:)` for a message `prepare` resolved to `ref`.
    mutating func handle(_ message: InboundMessage, now: Timestamp, ref: DeviceRef?) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        let t = now.millisecondsSinceEpoch
        advance(to: t, into: &actions)
        apply(message, ref: ref, now: t, into: &actions)
        return actions
    }

    private func prepare(_ messages: UnsafeBufferPointer<(InboundMessage, Timestamp)>, _ range: Range<Int>, into refs: inout BatchRefs) {
        // The messages are read in place: going through the buffer's subscript copies each tuple.
        let base = UnsafeRawPointer(messages.baseAddress!)
        let stride = MemoryLayout<(InboundMessage, Timestamp)>.stride
        func message(_ i: Int) -> UnsafePointer<InboundMessage> {
            (base + i * stride).assumingMemoryBound(to: InboundMessage.self)
        }
        for i in range {
            let (b, full) = bucket(message(i).pointee)
            refs.buckets[i - range.lowerBound] = b
            refs.touchesAlarmState[i - range.lowerBound] = full
            if b >= 0 { tables.index.prefetch(bucket: b) }
        }
        for i in range {
            let j = i - range.lowerBound
            let b = refs.buckets[j]
            let ref = b >= 0 ? resolve(message(i).pointee, bucket: b) : nil
            refs.refs[j] = ref ?? DeviceRef(slot: -1, site: -1, rules: 0)
            if let ref { prefetchState(ref, full: refs.touchesAlarmState[j]) }
        }
    }

    /// Bytes of engine state per configured device (its liveness, its alarm state and its
    /// device-index share) and per site, for sizing memory and for benchmarks.
    public static var stateFootprint: (perDevice: Int, perSite: Int) {
        (MemoryLayout<DeviceLiveness>.stride + MemoryLayout<DeviceState>.stride + 2 * DeviceIndex.entryStride,
         MemoryLayout<SiteState>.stride)
    }

    /// The device-index bucket of a message's device (-1 when it names none), and whether the
    /// message goes past liveness: alarm events, and camera triggers that are correlated.
    @inline(__always)
    private func bucket(_ message: InboundMessage) -> (Int, Bool) {
        switch message {
        case .alarm(let event): (tables.index.bucket(site: event.site, device: event.device), true)
        case .camera(let trigger):
            (tables.index.bucket(site: trigger.site, device: trigger.camera), trigger.label == .person || trigger.label == .vehicle)
        case .heartbeat(let heartbeat): (tables.index.bucket(site: heartbeat.site, device: heartbeat.device), false)
        case .checkIn, .reply, .position, .unitStatus: (-1, false)
        }
    }

    @inline(__always)
    private func resolve(_ message: InboundMessage, bucket: Int) -> DeviceRef? {
        switch message {
        case .alarm(let event): tables.index.find(site: event.site, device: event.device, bucket: bucket)
        case .camera(let trigger): tables.index.find(site: trigger.site, device: trigger.camera, bucket: bucket)
        case .heartbeat(let heartbeat): tables.index.find(site: heartbeat.site, device: heartbeat.device, bucket: bucket)
        case .checkIn, .reply, .position, .unitStatus: nil
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
