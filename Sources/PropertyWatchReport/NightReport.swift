/// The nightly report: what happened in one night, made from the journal's records by
/// `NightReport.make` (pure: no I/O, no clock) and rendered as text, JSON, CSV or HTML.
public struct NightReport: Sendable, Codable, Equatable {
    /// The date the night begins on, `YYYY-MM-DD`.
    public var night: String
    public var from: Int64
    public var to: Int64
    /// The instant the report describes the night up to (the end of the night, or now).
    public var asOf: Int64
    public var incidents: [IncidentSummary]
    public var dispatches: [Dispatch]
    public var escalations: [NightRecords.Escalation]
    public var visits: [Visit]
    public var directedChecks: [DirectedCheck]
    public var supervisionOutages: [Outage]
    public var counts: Counts
    public var operatorActions: [NightRecords.OperatorAction]

    /// One incident of the night, with its times.
    public struct IncidentSummary: Sendable, Codable, Equatable {
        public var id: String
        public var site: String
        public var siteName: String
        public var priority: String
        public var state: String
        public var verification: String?
        public var openedAt: Int64
        public var firstDispatchAt: Int64?
        public var acceptedAt: Int64?
        public var onSiteAt: Int64?
        public var closedAt: Int64?
        /// From opening to the first guard request.
        public var dispatchMs: Int64?
        /// From opening to a guard on site.
        public var responseMs: Int64?
        public var units: [String]
        public var lastCause: String
    }

    /// A guard request and what became of it.
    public struct Dispatch: Sendable, Codable, Equatable {
        public var incident: String
        public var unit: String
        public var siteName: String
        public var attempt: Int
        public var time: Int64
        /// The unit's first answer: accepted, declined, … or `none`.
        public var answer: String
    }

    /// A planned route stop and whether it was made.
    public struct Visit: Sendable, Codable, Equatable {
        public var route: String
        public var unit: String
        public var site: String
        public var siteName: String
        public var windowStart: Int64
        public var windowEnd: Int64
        /// `on-time`, `late`, `missed`, `re-planned` (late or missed because the unit was
        /// sent to an incident around its window), `off-duty` or `planned` (not yet due).
        public var status: String
        public var checkedInAt: Int64?
    }

    /// An operator's directed check and the visit that answered it.
    public struct DirectedCheck: Sendable, Codable, Equatable {
        public var site: String
        public var siteName: String
        public var author: String
        public var requestedAt: Int64
        public var visitedAt: Int64?
    }

    /// A device or link that went silent, until it came back (if it did).
    public struct Outage: Sendable, Codable, Equatable {
        public var site: String
        public var siteName: String
        public var code: String
        public var message: String
        public var from: Int64
        public var to: Int64?
    }

    /// Totals.
    public struct Counts: Sendable, Codable, Equatable {
        public var incidents: Int
        public var incidentsByPriority: [String: Int]
        /// Recorded only (a guard's own entry, an event during a silence).
        public var attributed: Int
        /// Closed before any guard was requested.
        public var closedWithoutDispatch: Int
        /// Guards called off on the way (stand-down warnings).
        public var cancelled: Int
        /// Silences (maintenance windows) operators added.
        public var silences: Int
        public var guardRequests: Int
        public var escalations: Int
        public var warningsByCode: [String: Int]
        public var rejectedByReason: [String: Int]
        public var operatorActions: Int
    }
}
