/// Per-device deduplication and sequence checking over a small ring of recent events.
///
/// A duplicate is an event whose sequence or event id is among the device's last `memory`
/// events (ids are compared by a 64-bit FNV-1a hash: two different ids of one device colliding
/// within that window is negligible, about 2⁻⁶⁰). A jump of more than one is a gap. Going back
/// to 0 or 1, or more than `reorderTolerance` behind, is a reset (a device reboot): no gap is
/// reported and the ring is cleared, so a rebooted device does not look like a storm of gaps or
/// duplicates. A smaller step back is an out-of-order (late) event: accepted, the latest
/// sequence is kept.
struct SequenceTracker: Sendable, Hashable {
    enum Admission: Equatable {
        case fresh
        case duplicate
        case late
        case reset
        case gap(from: UInt64, to: UInt64)
    }

    static let reorderTolerance: UInt64 = 64
    /// Stands for "no sequence" (camera triggers) in the ring.
    static let noSequence = UInt64.max

    private(set) var latest: UInt64 = 0
    private var started = false
    private var cursor: UInt16 = 0
    private var count: UInt16 = 0

    /// `ring` is this device's `2 × memory` words of (sequence, id hash) pairs.
    mutating func admit(sequence: UInt64, idHash: UInt64, ring: UnsafeMutableBufferPointer<UInt64>) -> Admission {
        for i in 0..<Int(count) where ring[2 * i] == sequence || ring[2 * i + 1] == idHash { return .duplicate }
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
        remember(sequence, idHash, ring)
        return admission
    }

    /// Camera triggers: deduplicated by event id only.
    mutating func admit(idHash: UInt64, ring: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        for i in 0..<Int(count) where ring[2 * i + 1] == idHash { return false }
        remember(Self.noSequence, idHash, ring)
        return true
    }

    private mutating func remember(_ sequence: UInt64, _ idHash: UInt64, _ ring: UnsafeMutableBufferPointer<UInt64>) {
        let memory = ring.count / 2
        let i = Int(count) < memory ? Int(count) : Int(cursor)
        ring[2 * i] = sequence
        ring[2 * i + 1] = idHash
        if Int(count) < memory {
            count += 1
        } else {
            cursor = UInt16((Int(cursor) + 1) % memory)
        }
    }
}
