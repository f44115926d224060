/// A request to a patrol unit to go to an incident. Published on the unit's request topic.
public struct GuardRequest: Sendable, Hashable {
    /// Unique per (incident, attempt): replies and deduplication refer to it.
    public var requestID: String
    public var incident: IncidentID
    public var unit: UnitID
    public var site: SiteID
    public var siteName: String
    public var address: String
    public var zones: [ZoneID]
    public var priority: IncidentPriority
    public var verification: Verification
    public var triggers: [String]
    public var snapshot: String?
    /// Estimated arrival, when known.
    public var eta: Timestamp?
    public var issuedAt: Timestamp
    /// Whether this is the first request for the incident (1) or an escalation (2, 3, …).
    public var attempt: Int

    public init(
        requestID: String, incident: IncidentID, unit: UnitID, site: SiteID, siteName: String,
        address: String, zones: [ZoneID], priority: IncidentPriority, verification: Verification,
        triggers: [String], snapshot: String? = nil, eta: Timestamp? = nil, issuedAt: Timestamp,
        attempt: Int = 1
    ) {
        self.requestID = requestID
        self.incident = incident
        self.unit = unit
        self.site = site
        self.siteName = siteName
        self.address = address
        self.zones = zones
        self.priority = priority
        self.verification = verification
        self.triggers = triggers
        self.snapshot = snapshot
        self.eta = eta
        self.issuedAt = issuedAt
        self.attempt = attempt
    }
}

/// A change to an incident, recorded in the journal and published for operators.
public struct IncidentTransition: Sendable, Hashable {
    public var incident: IncidentID
    public var site: SiteID
    public var from: IncidentState?
    public var to: IncidentState
    public var priority: IncidentPriority
    /// Why it happened, e.g. `second detector verified`, `unit P2 accepted`.
    public var cause: String
    public var time: Timestamp
    /// The incident's kind, when the engine knows it (the dispatch side reports without it).
    public var kind: IncidentKind?

    public init(
        incident: IncidentID, site: SiteID, from: IncidentState?, to: IncidentState,
        priority: IncidentPriority, cause: String, time: Timestamp, kind: IncidentKind? = nil
    ) {
        self.kind = kind
        self.incident = incident
        self.site = site
        self.from = from
        self.to = to
        self.priority = priority
        self.cause = cause
        self.time = time
    }
}
