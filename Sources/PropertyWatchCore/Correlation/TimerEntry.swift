/// A pending engine timer. Ordered by time, then kind and slot, so firing order is total.
struct TimerEntry: Sendable, Hashable, Comparable, Codable {
    enum Kind: UInt8, Sendable, Codable {
        case supervision, restoreDelay, floodCalm, flapQuiet, silenceExpiry, verificationExpiry, lateToClose
    }

    var at: Int64
    var kind: Kind
    /// A device or site slot, or an incident serial, depending on `kind`.
    var slot: Int

    static func < (a: TimerEntry, b: TimerEntry) -> Bool {
        (a.at, a.kind.rawValue, a.slot) < (b.at, b.kind.rawValue, b.slot)
    }
}

/// The engine's pending timers. Entries may be stale (the engine re-checks when one fires), so
/// the earliest entry is a lower bound on the next real deadline.
typealias TimerQueue = DeadlineHeap<TimerEntry>
