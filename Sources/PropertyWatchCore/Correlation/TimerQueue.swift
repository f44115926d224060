/// A pending engine timer. Ordered by time, then kind and slot, so firing order is total.
struct TimerEntry: Sendable, Hashable, Comparable {
    enum Kind: UInt8, Sendable {
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

/// A binary min-heap of timers. Entries may be stale (the engine re-checks when one fires), so
/// the earliest entry is a lower bound on the next real deadline.
struct TimerQueue: Sendable {
    private var heap: [TimerEntry] = []

    var first: TimerEntry? { heap.first }
    var count: Int { heap.count }

    mutating func push(_ entry: TimerEntry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> TimerEntry? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { break }
                var smallest = left
                if left + 1 < heap.count, heap[left + 1] < heap[left] { smallest = left + 1 }
                guard heap[smallest] < heap[parent] else { break }
                heap.swapAt(smallest, parent)
                parent = smallest
            }
        }
        return top
    }
}
