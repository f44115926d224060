import PropertyWatchCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where the pipeline gets "now". Production uses `SystemClock`; the scenario runner drives a
/// `VirtualClock`, enabled only by the daemon's explicit `--virtual-clock` flag.
public protocol WatchClock: Sendable {
    /// The current time, or nil while a virtual clock has not been set yet.
    func now() -> Timestamp?
}

/// The real-time clock (`CLOCK_REALTIME`).
public struct SystemClock: WatchClock {
    public init() {}

    public func now() -> Timestamp? {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(millisecondsSinceEpoch: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}

/// A clock that only moves when told to: by clock messages on `Topic.simulatedClock`.
public final class VirtualClock: WatchClock {
    private let current = Atomic<Int64>(Int64.min)

    public init() {}

    public func now() -> Timestamp? {
        let value = current.load(ordering: .acquiring)
        return value == Int64.min ? nil : Timestamp(millisecondsSinceEpoch: value)
    }

    /// Moves the clock; it never goes backwards.
    public func advance(to time: Timestamp) {
        var expected = current.load(ordering: .relaxed)
        while expected < time.millisecondsSinceEpoch {
            let (exchanged, actual) = current.compareExchange(
                expected: expected, desired: time.millisecondsSinceEpoch, ordering: .acquiringAndReleasing)
            if exchanged { return }
            expected = actual
        }
    }
}
