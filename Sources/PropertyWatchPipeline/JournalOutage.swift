/// The journal refusing commits (disk full, an I/O error): since when, how often it has been
/// tried, and when to try again. Back-off doubles from `firstDelay` up to `maximumDelay`.
///
/// While an outage lasts the pipeline reads nothing new: it keeps the batch it holds and
/// retries it, so the broker queues the rest and nothing is acknowledged end to end.
public struct JournalOutage: Sendable, Equatable {
    /// Wall-clock start of the outage (milliseconds since the epoch).
    public var since: Int64
    /// Failed commit attempts so far, the first included.
    public var attempts: Int
    /// The last error, as SQLite reported it.
    public var lastError: String
    /// Monotonic time (nanoseconds) before which no retry is made.
    public var retryAt: UInt64

    public static let firstDelayNanoseconds: UInt64 = 100_000_000
    public static let maximumDelayNanoseconds: UInt64 = 5_000_000_000

    public init(since: Int64, error: String, now: UInt64) {
        self.since = since
        self.attempts = 0
        self.lastError = error
        self.retryAt = now
        failed(error: error, now: now)
    }

    /// Records one more failed attempt at monotonic time `now` and schedules the next.
    public mutating func failed(error: String, now: UInt64) {
        attempts += 1
        lastError = error
        retryAt = now + delay
    }

    /// The wait before the next attempt: 0.1 s, 0.2 s, 0.4 s, … at most 5 s.
    public var delay: UInt64 {
        let shift = min(attempts - 1, 16)
        return min(Self.firstDelayNanoseconds << UInt64(max(0, shift)), Self.maximumDelayNanoseconds)
    }

    /// Whether a retry is due at monotonic time `now`.
    public func isDue(at now: UInt64) -> Bool { now >= retryAt }
}
