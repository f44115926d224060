/// One purge of the journal: what was removed, how many, when, and the cut-off used.
public struct PurgeRecord: Sendable, Hashable, Codable {
    /// `events`, `camera-events`, `dead-letters`, `outbox`, `incidents`, or `stale-incidents`
    /// (open incidents closed as stale; they are closed, not deleted).
    public var what: String
    public var count: Int
    /// When it ran (milliseconds since the epoch).
    public var time: Int64
    /// Records older than this (milliseconds since the epoch) were concerned.
    public var cutoff: Int64

    public init(what: String, count: Int, time: Int64, cutoff: Int64) {
        self.what = what
        self.count = count
        self.time = time
        self.cutoff = cutoff
    }
}
