/// Batched handling: the same work as `handle(_:now:)` per message, in an order that lets the
/// memory system fetch the state of several messages at once.
extension CorrelationEngine {
    /// Messages looked at together: enough to overlap their cache misses, few enough that
    /// their state stays in L1 until it is used.
    public static let batchWindow = 16

    /// Handles journaled messages in order, each with its receive time: the same actions (in
    /// the same order) and the same state as calling `handle(_:now:)` for each in turn.
    ///
    /// Each window of messages is processed in passes: find every message's device-index
    /// bucket and load it, then resolve the devices and load their device and site state, then
    /// apply the messages one by one. The first two passes only read, so the result does not
    /// depend on them; they turn a chain of dependent cache misses per message into
    /// independent loads the processor overlaps, which keeps the per-event cost nearly flat as
    /// the number of sites grows.
    public mutating func handle(batch: [(InboundMessage, Timestamp)]) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        let window = Self.batchWindow
        // Plain local arrays, not closures over `self`: a closure capturing the engine would
        // copy it to call a non-mutating method, and make its state arrays non-unique.
        var buckets = [Int](repeating: -1, count: window)
        var refs = [DeviceRef](repeating: DeviceRef(slot: -1, site: -1, rules: 0), count: window)
        var start = 0
        while start < batch.count {
            let end = min(start + window, batch.count)
            var sink: Int32 = 0
            // Pass 1: hash and load each message's index bucket.
            for i in start..<end {
                let b = bucket(batch[i].0)
                buckets[i - start] = b
                if b >= 0 { sink &+= tables.index.touch(bucket: b) }
            }
            // Pass 2: resolve, and load the device and site state.
            for i in start..<end {
                let b = buckets[i - start]
                let ref = b >= 0 ? resolve(batch[i].0, bucket: b) : nil
                refs[i - start] = ref ?? DeviceRef(slot: -1, site: -1, rules: 0)
                if let ref { sink &+= touchState(ref) }
            }
            prefetchSink = sink
            // Pass 3: apply, in order.
            for i in start..<end {
                let t = batch[i].1.millisecondsSinceEpoch
                advance(to: t, into: &actions)
                let ref = refs[i - start]
                apply(batch[i].0, ref: ref.slot >= 0 ? ref : nil, now: t, into: &actions)
            }
            start = end
        }
        return actions
    }

    /// Bytes of engine state per configured device (its state and its device-index share) and
    /// per site, for sizing memory and for benchmarks.
    public static var stateFootprint: (perDevice: Int, perSite: Int) {
        (MemoryLayout<DeviceState>.stride + 2 * DeviceIndex.entryStride, MemoryLayout<SiteState>.stride)
    }

    /// The device-index bucket of a message's device; -1 when it names none.
    @inline(__always)
    private func bucket(_ message: InboundMessage) -> Int {
        switch message {
        case .alarm(let event): tables.index.bucket(site: event.site, device: event.device)
        case .camera(let trigger): tables.index.bucket(site: trigger.site, device: trigger.camera)
        case .heartbeat(let heartbeat): tables.index.bucket(site: heartbeat.site, device: heartbeat.device)
        case .checkIn, .reply, .position, .unitStatus: -1
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

    /// Reads one byte of every cache line of the device's state, and the first of its site's
    /// state and of both's configuration facts.
    @inline(__always)
    private func touchState(_ ref: DeviceRef) -> Int32 {
        var sum: Int32 = 0
        state.devices.withUnsafeBytes { raw in
            let stride = MemoryLayout<DeviceState>.stride
            let base = Int(ref.slot) * stride
            var offset = 0
            while offset < stride {
                sum &+= Int32(raw[base + offset])
                offset += 64
            }
            sum &+= Int32(raw[base + stride - 1])
        }
        state.sites.withUnsafeBytes { raw in
            sum &+= Int32(raw[Int(ref.site) * MemoryLayout<SiteState>.stride])
        }
        // The immutable facts the rules read: the device's zone and the site's id and kind.
        tables.devices.withUnsafeBytes { raw in
            sum &+= Int32(raw[Int(ref.slot) * MemoryLayout<DeviceInfo>.stride])
        }
        tables.sites.withUnsafeBytes { raw in
            sum &+= Int32(raw[Int(ref.site) * MemoryLayout<SiteInfo>.stride])
        }
        return sum
    }
}
