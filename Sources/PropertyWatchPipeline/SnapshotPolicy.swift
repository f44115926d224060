import PropertyWatchCore

/// When the pipeline takes a snapshot of the core's state (`WatchSnapshot`), so that a restart
/// replays only the journal's tail: after `everyEvents` journaled inputs, or `interval` after
/// the last one if any input came since, and at a clean stop. Configured in `journal:`
/// (`snapshot_every_events`, `snapshot_interval_seconds`, `snapshots_kept`).
public struct SnapshotPolicy: Sendable, Equatable {
    /// Journaled inputs after which a snapshot is taken; 0 turns periodic and final snapshots
    /// off (every start then replays the whole journal).
    public var everyEvents: Int
    /// Longest time (milliseconds of the pipeline clock) between snapshots while inputs come.
    public var interval: Milliseconds
    /// How many snapshots the journal keeps, newest first: an older one is used if the newest
    /// cannot be (damaged).
    public var kept: Int

    public init(everyEvents: Int = 100_000, intervalSeconds: Int = 600, kept: Int = 2) {
        self.everyEvents = max(0, everyEvents)
        self.interval = .seconds(Int64(max(1, intervalSeconds)))
        self.kept = max(1, kept)
    }

    public var enabled: Bool { everyEvents > 0 }

    /// Whether a snapshot is due with `events` inputs journaled since the last one, `elapsed`
    /// milliseconds after it.
    func isDue(events: Int, elapsed: Int64) -> Bool {
        enabled && events > 0 && (events >= everyEvents || elapsed >= interval.value)
    }
}
