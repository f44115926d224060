/// A configured device as the directory numbers it: the interned identifiers (so decoded
/// messages share the directory's strings instead of building new ones) and a dense index.
struct DirectoryDevice: Sendable {
    let site: SiteID
    let device: DeviceID
    /// Index into `SiteDirectory.configuration.sites`.
    let siteIndex: Int32
    /// Dense device number, `0..<SiteDirectory.deviceCount`, in configuration order.
    let index: Int32
    /// The device's configured zone.
    let zone: ZoneID?
    /// The site's configured zones, so a payload's zone can reuse their strings.
    let siteZones: ZoneNames

    /// What a message from it carries.
    var slot: DeviceSlot { DeviceSlot(index: index, site: siteIndex) }
}

/// An open-addressing table from the raw bytes of `site` and `device` (as they appear in a
/// topic) to a `DirectoryDevice`, so decoding a topic needs neither new strings nor `Hasher`.
/// Built once. Keys live in one byte arena, next to their hash, so a hit costs one probe and
/// one short comparison.
///
/// It is the only device table: the decoder resolves each message here once and hands the
/// number on (`DeviceSlot`); the correlation engine's device slots are the same numbers.
struct DeviceLookup: Sendable {
    private struct Slot: Sendable {
        var hash: UInt32 = 0
        var entry: Int32 = -1
        var keyStart: UInt32 = 0
        var siteLength: UInt32 = 0
        var deviceLength: UInt32 = 0
    }

    private let slots: [Slot]
    private let keys: [UInt8]
    private let mask: Int
    let entries: [DirectoryDevice]

    /// `entries[i]` must be numbered `i`, and (site, device) unique: `SiteDirectory` makes ids
    /// unique before it numbers them.
    init(_ entries: [DirectoryDevice]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity *= 2 }
        let mask = capacity - 1
        var slots = Array(repeating: Slot(), count: capacity)
        var keys: [UInt8] = []
        for (i, entry) in entries.enumerated() {
            precondition(entry.index == Int32(i), "devices are numbered in order")
            let site = Array(entry.site.rawValue.utf8), device = Array(entry.device.rawValue.utf8)
            let probe = site.withUnsafeBytes { s in
                device.withUnsafeBytes { d in keys.withUnsafeBytes { Self.probe(s, d, slots, mask, $0) } }
            }
            precondition(probe.entry < 0, "(site, device) is unique in a SiteDirectory")
            slots[probe.slot] = Slot(
                hash: probe.hash, entry: Int32(i), keyStart: UInt32(keys.count),
                siteLength: UInt32(site.count), deviceLength: UInt32(device.count))
            keys += site
            keys += device
        }
        self.entries = entries
        self.slots = slots
        self.keys = keys
        self.mask = mask
    }

    /// The index in `entries` of the device these bytes name, if configured.
    @inline(__always)
    func find(site: UnsafeRawBufferPointer, device: UnsafeRawBufferPointer) -> Int? {
        let entry = keys.withUnsafeBytes { Self.probe(site, device, slots, mask, $0).entry }
        return entry >= 0 ? entry : nil
    }

    private static func probe(
        _ site: UnsafeRawBufferPointer, _ device: UnsafeRawBufferPointer, _ slots: [Slot], _ mask: Int,
        _ keys: UnsafeRawBufferPointer
    ) -> (slot: Int, entry: Int, hash: UInt32) {
        let h = ByteHash.hash(device, seed: ByteHash.hash(site))
        let hash = UInt32(truncatingIfNeeded: h >> 32)
        var i = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let slot = slots[i]
                if slot.entry < 0 { return (i, -1, hash) }
                if slot.hash == hash, Int(slot.siteLength) == site.count, Int(slot.deviceLength) == device.count {
                    let start = Int(slot.keyStart)
                    if equal(keys, start, site), equal(keys, start + site.count, device) {
                        return (i, Int(slot.entry), hash)
                    }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Whether `keys` holds `bytes` from `start` on.
    @inline(__always)
    static func equal(_ keys: UnsafeRawBufferPointer, _ start: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        for i in 0..<bytes.count where keys[start + i] != bytes[i] { return false }
        return true
    }

    /// Whether `bytes` spell `text`.
    @inline(__always)
    static func equal(_ text: StaticString, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard text.utf8CodeUnitCount == bytes.count else { return false }
        for i in 0..<bytes.count where bytes[i] != text.utf8Start[i] { return false }
        return true
    }
}
