import PropertyWatchCore

/// A way an alarm device misbehaves, for testing how the daemon copes.
public enum PanelFault: Sendable, Hashable {
    /// Sends nothing at all (cut line, dead battery): no heartbeats, events lost.
    case silent
    /// Cut off (line down) but keeping its events: no heartbeats; the events raised meanwhile
    /// are sent, with their original times, when the fault clears.
    case buffering
    /// Numbers its events but they are lost on the way (and never retransmitted): the daemon
    /// sees a gap in the device's sequence numbers.
    case losing
    /// Sends `perMinute` intrusion alarms a minute until `until`.
    case flood(perMinute: Int, until: Timestamp)
    /// Sends corrupted payloads instead of valid ones.
    case garbage
    /// Its clock is off by this much (negative: behind).
    case clockSkew(Milliseconds)
    /// Sends every message twice.
    case duplicates
}
