import PropertyWatchCore

/// When the pipeline takes a snapshot of the core's state (`WatchSnapshot`), so that a restart
/// replays only the journal's tail: after `everyEvents` journaled inputs, or `interval` after
/// the last one if any input came since, and at a clean stop. Configured in `journal:`
/// (`snapshot_every_events`, `snapshot_interval_seconds`, `snapshots_kept`).
public struct SnapshotPolicy: Sendable, Equatable {
    /// Journaled inputs after which a snapshot is taken; 0 turns periodic and final snapshots
    /// off (every start then replays the whole journal).
    ///
    /// The default, a million, bounds the replay at a start to about 1.3 s on a small machine
    /// (`pw-pipeline-bench restart`). A snapshot is not free: at 2,000 sites it is ~6 MiB and
    /// ~0.4 s of encoding, and storing it holds the journal's writer for 10–30 ms. Taken every
    /// 100,000 inputs, that was every 7 s at 14 k messages/s, and it doubled the alarm → guard
    /// request p99 (`pw-pipeline-bench latency`: 6.1–7.9 ms, against 3.4–4.7 ms without).
    /// At the deployment's rates the interval decides anyway.
    public var everyEvents: Int
    /// Longest time (milliseconds of the pipeline clock) between snapshots while inputs come.
    public var interval: Milliseconds
    /// How many snapshots the journal keeps, newest first: an older one is used if the newest
    /// cannot be (damaged).
    public var kept: Int

    public init(everyEvents: Int = 1_000_000, intervalSeconds: Int = 600, kept: Int = 2) {
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
