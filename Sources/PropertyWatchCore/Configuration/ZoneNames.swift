/// A site's zone ids with their UTF-8 bytes side by side in one arena, so the zone a payload
/// spells is found (and its string reused) without building a string. Built once per site.
struct ZoneNames: Sendable {
    let zones: [ZoneID]
    /// The directory's number for the site's first zone (zones are numbered in configuration
    /// order across all sites; the correlation engine's zone slots are the same numbers).
    let firstSlot: Int
    private let bytes: [UInt8]
    /// The end of each zone's bytes in `bytes`; zone `i` starts where zone `i - 1` ends.
    private let ends: [Int]

    init(_ zones: [ZoneID], firstSlot: Int = 0) {
        self.zones = zones
        self.firstSlot = firstSlot
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for zone in zones {
            bytes += zone.rawValue.utf8
            ends.append(bytes.count)
        }
        self.bytes = bytes
        self.ends = ends
    }

    /// The first zone whose id is exactly `name`'s bytes, with its number.
    func zone(spelledBy name: UnsafeRawBufferPointer) -> (id: ZoneID, slot: Int32)? {
        let index = bytes.withUnsafeBytes { arena in
            ends.withUnsafeBufferPointer { ends in
                var start = 0
                for (i, end) in ends.enumerated() {
                    if end - start == name.count, DeviceLookup.equal(arena, start, name) { return i }
                    start = end
                }
                return -1
            }
        }
        return index >= 0 ? (zones[index], Int32(firstSlot + index)) : nil
    }
}
