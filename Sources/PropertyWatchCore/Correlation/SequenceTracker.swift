/// Per-device deduplication and sequence checking over a small ring of recent events, kept
/// inline (no heap object per device, and on the device's own cache lines).
///
/// A duplicate is an event whose sequence or event id is among the device's last `memory`
/// events (ids are compared by a 64-bit `StringHash`: two different ids of one device colliding
/// within that window is negligible, about 2⁻⁶⁰). A jump of more than one is a gap. Going back
/// to 0 or 1, or more than `reorderTolerance` behind, is a reset (a device reboot): no gap is
/// reported and the ring is cleared, so a rebooted device does not look like a storm of gaps or
/// duplicates. A smaller step back is an out-of-order (late) event: accepted, the latest
/// sequence is kept.
struct SequenceTracker: Sendable {
    enum Admission: Equatable {
        case fresh
        case duplicate
        case late
        case reset
        case gap(from: UInt64, to: UInt64)
    }

    /// Recent events remembered per device.
    static let memory = 6
    static let reorderTolerance: UInt64 = 64
    /// Stands for "no sequence" (camera triggers) in the ring.
    static let noSequence = UInt64.max

    private(set) var latest: UInt64 = 0
    private var started = false
    private var cursor: UInt8 = 0
    private var count: UInt8 = 0
    /// (sequence, id hash) pairs.
    private var ring: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    mutating func admit(sequence: UInt64, idHash: UInt64) -> Admission {
        let n = Int(count)
        let duplicate = withUnsafeBytes(of: &ring) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for i in 0..<n where words[2 * i] == sequence || words[2 * i + 1] == idHash { return true }
            return false
        }
        if duplicate { return .duplicate }
        let admission: Admission
        if !started {
            started = true
            admission = .fresh
        } else if sequence == latest &+ 1 {
            admission = .fresh
        } else if sequence > latest {
            admission = .gap(from: latest, to: sequence)
        } else if sequence <= 1 || latest - sequence > Self.reorderTolerance {
            admission = .reset
            count = 0
            cursor = 0
        } else {
            admission = .late
        }
        if admission != .late { latest = sequence }
        remember(sequence, idHash)
        return admission
    }

    /// Camera triggers: deduplicated by event id only.
    mutating func admit(idHash: UInt64) -> Bool {
        let n = Int(count)
        let duplicate = withUnsafeBytes(of: &ring) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for i in 0..<n where words[2 * i + 1] == idHash { return true }
            return false
        }
        if duplicate { return false }
        remember(Self.noSequence, idHash)
        return true
    }

    private mutating func remember(_ sequence: UInt64, _ idHash: UInt64) {
        let i = Int(count) < Self.memory ? Int(count) : Int(cursor)
        withUnsafeMutableBytes(of: &ring) { raw in
            let words = raw.bindMemory(to: UInt64.self)
            words[2 * i] = sequence
            words[2 * i + 1] = idHash
        }
        if Int(count) < Self.memory {
            count += 1
        } else {
            cursor = UInt8((Int(cursor) + 1) % Self.memory)
        }
    }

    /// The remembered pairs, oldest first: what equality compares.
    private var remembered: [UInt64] {
        var copy = ring
        let words = withUnsafeBytes(of: &copy) { Array($0.bindMemory(to: UInt64.self).prefix(2 * Int(count))) }
        let start = Int(count) < Self.memory ? 0 : 2 * Int(cursor)
        return Array(words[start...] + words[..<start])
    }
}

extension SequenceTracker: Hashable {
    static func == (a: SequenceTracker, b: SequenceTracker) -> Bool {
        a.latest == b.latest && a.started == b.started && a.count == b.count && a.remembered == b.remembered
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(latest)
        hasher.combine(remembered)
    }
}
