import CPrefetch

/// Batched handling, what the pipeline calls for each committed batch.
extension CorrelationEngine {
    /// How many messages ahead of the one being handled `handle(batch:)` starts loading state.
    static let prefetchDistance = 8

    /// Handles journaled messages in order, each with its receive time: the same actions (in
    /// the same order) and the same state as calling `handle(_:now:)` for each in turn.
    ///
    /// While a message is handled, the state of the one `prefetchDistance` behind it is
    /// prefetched, by the slot the decoder resolved it to: with 100 k sites the state no
    /// longer fits the caches, and this turns each message's chain of misses into loads the
    /// memory system serves in parallel (`pw-bench correlation`: engine/batch against
    /// engine/message at 100 k sites). Prefetching is only a hint; the result does not
    /// depend on it.
    public mutating func handle(batch: [(InboundMessage, Timestamp)]) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        actions.reserveCapacity(batch.count / 8)
        // No closure around the loop: a method of `self` called inside one would copy the engine.
        for i in batch.indices {
            prefetchAhead(of: i, in: batch)
            let t = batch[i].1.millisecondsSinceEpoch
            advance(to: t, into: &actions)
            apply(batch[i].0, ref: resolve(batch[i].0), now: t, into: &actions)
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

    /// Prefetches for the message `prefetchDistance` behind `i` (at `i == 0`, for all the
    /// first ones). Call for `i = 0, 1, 2, …` in turn.
    @inline(__always)
    func prefetchAhead(of i: Int, in batch: [(InboundMessage, Timestamp)]) {
        batch.withUnsafeBufferPointer { messages in
            if i == 0 {
                for k in 0..<min(Self.prefetchDistance, messages.count) { prefetchState(messages, k) }
            }
            if i + Self.prefetchDistance < messages.count { prefetchState(messages, i + Self.prefetchDistance) }
        }
    }

    /// The message at `i`, read in place: the buffer's subscript would copy the tuple.
    @inline(__always)
    private static func message(_ messages: UnsafeBufferPointer<(InboundMessage, Timestamp)>, _ i: Int) -> UnsafePointer<InboundMessage> {
        (UnsafeRawPointer(messages.baseAddress!) + i * MemoryLayout<(InboundMessage, Timestamp)>.stride)
            .assumingMemoryBound(to: InboundMessage.self)
    }

    /// Starts loading what handling message `k` will touch: its device's liveness and, for an
    /// alarm or a correlated camera detection, its alarm state and its site's.
    @inline(__always)
    private func prefetchState(_ messages: UnsafeBufferPointer<(InboundMessage, Timestamp)>, _ k: Int) {
        let slot: DeviceSlot, full: Bool
        switch Self.message(messages, k).pointee {
        case .alarm(let event): (slot, full) = (event.slot, true)
        case .camera(let trigger): (slot, full) = (trigger.slot, trigger.label == .person || trigger.label == .vehicle)
        case .heartbeat(let heartbeat): (slot, full) = (heartbeat.slot, false)
        case .checkIn, .reply, .position, .unitStatus, .video: return
        }
        let device = Int(slot.index), site = Int(slot.site)
        guard device >= 0, device < tables.devices.count, site >= 0, site < tables.sites.count else { return }
        Self.prefetch(state.live, device)
        guard full else { return }
        Self.prefetch(state.devices, device)
        Self.prefetch(tables.devices, device)
        Self.prefetch(state.sites, site)
        Self.prefetch(tables.sites, site)
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
