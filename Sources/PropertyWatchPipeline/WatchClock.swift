import PropertyWatchCore

#if canImport(Glibc)
import Glibc
#endif

/// Where the pipeline gets "now". Production uses `SystemClock`; the scenario runner drives a
/// virtual clock, enabled only by an explicit flag.
public protocol WatchClock: Sendable {
    func now() -> Timestamp
}

/// The real-time clock (`CLOCK_REALTIME`).
public struct SystemClock: WatchClock {
    public init() {}

    public func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(millisecondsSinceEpoch: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}
