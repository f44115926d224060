import PropertyWatchCore

/// A way an alarm device misbehaves, for testing how the daemon copes.
public enum PanelFault: Sendable, Hashable {
    /// Sends nothing at all (cut line, dead battery): no heartbeats, events lost.
    case silent
    /// Sends `perMinute` intrusion alarms a minute until `until`.
    case flood(perMinute: Int, until: Timestamp)
    /// Sends corrupted payloads instead of valid ones.
    case garbage
    /// Its clock is off by this much (negative: behind).
    case clockSkew(Milliseconds)
    /// Sends every message twice.
    case duplicates
}
