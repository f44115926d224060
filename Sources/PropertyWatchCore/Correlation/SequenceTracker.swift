/// Per-device deduplication and sequence checking over a small ring of recent events.
///
/// A duplicate is an event whose sequence or event id is among the last `memory` events.
/// A jump of more than one is a gap. Going back to 0 or 1, or more than `reorderTolerance`
/// behind, is a reset (a device reboot): no gap is reported and the ring is cleared, so a
/// rebooted device does not look like a storm of gaps or duplicates. A smaller step back is an
/// out-of-order (late) event: accepted, the latest sequence is kept.
struct SequenceTracker: Sendable, Hashable {
    enum Admission: Equatable {
        case fresh
        case duplicate
        case late
        case reset
        case gap(from: UInt64, to: UInt64)
    }

    static let reorderTolerance: UInt64 = 64

    private(set) var latest: UInt64 = 0
    private var started = false
    private var sequences: [UInt64] = []
    private var ids: [String] = []
    private var cursor = 0

    mutating func admit(sequence: UInt64, eventID: String, memory: Int) -> Admission {
        for s in sequences where s == sequence { return .duplicate }
        for id in ids where id == eventID { return .duplicate }
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
            sequences.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            cursor = 0
        } else {
            admission = .late
        }
        if admission != .late { latest = sequence }
        remember(sequence: sequence, eventID: eventID, memory: memory)
        return admission
    }

    /// Camera triggers: deduplicated by event id only.
    mutating func admit(eventID: String, memory: Int) -> Bool {
        for id in ids where id == eventID { return false }
        remember(sequence: nil, eventID: eventID, memory: memory)
        return true
    }

    private mutating func remember(sequence: UInt64?, eventID: String, memory: Int) {
        if ids.count < memory {
            if ids.isEmpty { ids.reserveCapacity(memory); sequences.reserveCapacity(memory) }
            ids.append(eventID)
            sequences.append(sequence ?? .max)
        } else {
            ids[cursor] = eventID
            sequences[cursor] = sequence ?? .max
            cursor = (cursor + 1) % memory
        }
    }
}
