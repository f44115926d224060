/// A request to a patrol unit to go to an incident. Published on the unit's request topic.
///
/// When the incident changes while the unit holds the request (priority rises, it gets
/// verified), the unit is sent the same request again with the next `revision` and `changes`.
public struct GuardRequest: Sendable, Hashable, Codable {
    /// Unique per (incident, attempt): replies refer to it; with `revision`, deduplication does.
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
    /// The camera events behind it (Frigate event ids), for the guard's app to open.
    public var cameraEvents: [String] = []
    /// Estimated arrival, when known.
    public var eta: Timestamp?
    public var issuedAt: Timestamp
    /// Whether this is the first request for the incident (1) or an escalation (2, 3, …).
    public var attempt: Int
    /// 1 as first sent; 2, 3, … for each update of the same request.
    public var revision: Int
    /// What changed since the previous revision, e.g. `priority unverified-intrusion → verified-intrusion`.
    public var changes: [String]
    /// Until when the unit may accept or decline; never earlier than in an earlier revision.
    public var answerBy: Timestamp?

    public init(
        requestID: String, incident: IncidentID, unit: UnitID, site: SiteID, siteName: String,
        address: String, zones: [ZoneID], priority: IncidentPriority, verification: Verification,
        triggers: [String], snapshot: String? = nil, eta: Timestamp? = nil, issuedAt: Timestamp,
        attempt: Int = 1, revision: Int = 1, changes: [String] = [], answerBy: Timestamp? = nil
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
        self.revision = revision
        self.changes = changes
        self.answerBy = answerBy
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
    /// The incident's kind; nil on dispatch transitions (made from a `DispatchFact`), which
    /// have always been journaled without it.
    public var kind: IncidentKind?
    /// The incident's own transition counter: 1 for the first transition `Watch` reports, then
    /// 2, 3, … (0 until `Watch` numbers it). Outbox keys come from it, never from the time.
    public var sequence: Int
    /// The incident's times so far, on dispatch transitions (from the `DispatchFact`).
    public var times: IncidentTimes?

    public init(
        incident: IncidentID, site: SiteID, from: IncidentState?, to: IncidentState,
        priority: IncidentPriority, cause: String, time: Timestamp, sequence: Int = 0, times: IncidentTimes? = nil,
        kind: IncidentKind? = nil
    ) {
        self.kind = kind
        self.incident = incident
        self.site = site
        self.from = from
        self.to = to
        self.priority = priority
        self.cause = cause
        self.time = time
        self.sequence = sequence
        self.times = times
    }
}
