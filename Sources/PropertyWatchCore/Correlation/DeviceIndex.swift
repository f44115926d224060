import CPrefetch

/// Where a device's state lives, with the facts every event needs, so that one look-up
/// (usually one cache line) resolves a message.
struct DeviceRef: Sendable, Hashable {
    var slot: Int32
    var site: Int32
    /// Index into `CorrelationTables.rules`.
    var rules: Int32
}

/// An open-addressing hash table from (site, device) to `DeviceRef`, built once at start.
/// Keys and values share a slot (Swift's `Dictionary` keeps them apart), and the hash is a
/// fixed `StringHash`, so a look-up costs one hash and, typically, one cache miss.
struct DeviceIndex: Sendable {
    private struct Entry: Sendable {
        var site: SiteID
        var device: DeviceID
        var ref: DeviceRef
    }

    private var entries: [Entry]
    static var entryStride: Int { MemoryLayout<Entry>.stride }
    private let mask: Int

    init(_ items: [(SiteID, DeviceID, DeviceRef)]) {
        var capacity = 16
        while capacity < items.count * 2 { capacity *= 2 }
        mask = capacity - 1
        entries = Array(repeating: Entry(site: "", device: "", ref: DeviceRef(slot: -1, site: -1, rules: 0)), count: capacity)
        for (site, device, ref) in items {
            var i = Int(truncatingIfNeeded: Self.hash(site, device)) & mask
            while entries[i].ref.slot >= 0 {
                if entries[i].site == site, entries[i].device == device { break }  // first wins
                i = (i + 1) & mask
            }
            if entries[i].ref.slot < 0 { entries[i] = Entry(site: site, device: device, ref: ref) }
        }
    }

    func find(site: SiteID, device: DeviceID) -> DeviceRef? {
        find(site: site, device: device, bucket: bucket(site: site, device: device))
    }

    /// Where the probe for (site, device) starts.
    @inline(__always)
    func bucket(site: SiteID, device: DeviceID) -> Int {
        Int(truncatingIfNeeded: Self.hash(site, device)) & mask
    }

    /// Starts loading the entry at `bucket` (both its cache lines when it straddles two), so a
    /// later `find` hits the cache.
    @inline(__always)
    func prefetch(bucket: Int) {
        entries.withUnsafeBufferPointer { entries in
            let entry = UnsafeRawPointer(entries.baseAddress! + bucket)
            pw_prefetch(entry)
            pw_prefetch(entry + (MemoryLayout<Entry>.size - 1))
        }
    }

    func find(site: SiteID, device: DeviceID, bucket: Int) -> DeviceRef? {
        var i = bucket
        while true {
            let entry = entries[i]
            if entry.ref.slot < 0 { return nil }
            if entry.device == device, entry.site == site { return entry.ref }
            i = (i + 1) & mask
        }
    }

    static func hash(_ site: SiteID, _ device: DeviceID) -> UInt64 {
        StringHash.hash(device.rawValue, seed: StringHash.hash(site.rawValue))
    }
}
