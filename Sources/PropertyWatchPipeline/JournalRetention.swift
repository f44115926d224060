import PropertyWatchCore

/// How long the journal keeps each kind of record. Every purge is itself recorded
/// (`Journal.purges`), and an incident still open past `staleIncident` is closed as stale, so
/// retention can never stall behind an incident that nobody closes.
public struct JournalRetention: Sendable, Equatable {
    /// Raw inputs (alarms, heartbeats, patrol messages, operator commands) and dead letters.
    public var events: Milliseconds
    /// Camera metadata: our camera triggers and Frigate's events and reviews (inputs and dead
    /// letters). Shorter by default: the Swedish camera-surveillance act
    /// (kamerabevakningslagen) leaves the period to the municipality's documented assessment.
    public var cameraMetadata: Milliseconds
    /// Incidents (and their transitions) closed longer ago than this.
    public var incidents: Milliseconds
    /// An incident still open this long after it opened is closed as stale.
    public var staleIncident: Milliseconds

    public init(eventDays: Int = 90, cameraMetadataDays: Int = 30, incidentDays: Int = 365, staleIncidentDays: Int = 7) {
        events = Self.days(eventDays)
        cameraMetadata = Self.days(cameraMetadataDays)
        incidents = Self.days(incidentDays)
        staleIncident = Self.days(staleIncidentDays)
    }

    static func days(_ n: Int) -> Milliseconds { Milliseconds.hours(24) * Int64(max(1, n)) }

    /// Whole days of a period, for logs and records.
    static func wholeDays(_ period: Milliseconds) -> Int64 { period.value / 86_400_000 }
}
