/// What the engine decided about one alarm event or camera detection, or about a change of
/// arm state, with the rule that decided it and the inputs it looked at: the answer to
/// "why was (or wasn't) a guard sent?" without reading code.
public struct Decision: Sendable, Hashable {
    /// The outcome, named for operators and counted per site, zone and verdict in `/metrics`.
    public enum Verdict: String, Sendable, Hashable, CaseIterable, Codable {
        /// A new incident was opened and a guard requested.
        case dispatched
        /// A new incident was opened; its priority is below the dispatch threshold.
        case incident
        /// It joined the site's open incident (and may have raised or verified it).
        case joined
        /// An unverified intrusion waits for a second zone or a camera (verify first).
        case awaitingVerification = "awaiting-verification"
        /// An unverified intrusion became a directed check for the patrol.
        case directedCheck = "directed-check"
        /// A camera detection kept as an observation record: no incident.
        case observation
        /// An intrusion while its partition was unset.
        case unset
        /// Attributed to a guard checked in at the site.
        case guardPresent = "guard-present"
        /// Under an operator's silence.
        case silenced
        /// Held back: the zone's restore-cancel delay is running.
        case heldForRestore = "held-for-restore"
        /// The detector restored within its restore-cancel delay.
        case restoreCancelled = "restore-cancelled"
        /// Its zone is flapping.
        case flapping
        /// Its device is flooding.
        case flood
        /// Seen before (same sequence or event id).
        case duplicate
        /// A partition was unset (opened) or set (closed), with the user who did it.
        case opening
        case closing
        /// No rule uses it (test reports, bypass, restores of fire and the like, motion-only detections).
        case ignored
        /// A device sent it late, with its original time (buffered during an outage): recorded,
        /// never dispatched as live; it may explain an outage or open a `late-alarm` record.
        case late
    }

    public var time: Timestamp
    public var site: SiteID
    public var device: DeviceID?
    public var zone: ZoneID?
    public var partition: PartitionID?
    public var user: UserID?
    /// What came in, e.g. `intrusion SIA:BA seq 12`, `person cam-entre`.
    public var input: String
    public var verdict: Verdict
    /// The rule and its setting, e.g. `unverified-intrusion: verify-first 5 min, then dispatch`.
    public var rule: String
    /// The inputs the rule looked at, in a sentence.
    public var reason: String
    public var incident: IncidentID?
    /// The device's own time of an event it buffered and sent late (verdict `late`); nil for
    /// live events, whose device time is their receive time within the clock-skew limit.
    public var eventTime: Timestamp?

    public init(
        time: Timestamp, site: SiteID, device: DeviceID? = nil, zone: ZoneID? = nil, partition: PartitionID? = nil,
        user: UserID? = nil, input: String, verdict: Verdict, rule: String, reason: String, incident: IncidentID? = nil,
        eventTime: Timestamp? = nil
    ) {
        self.eventTime = eventTime
        self.time = time
        self.site = site
        self.device = device
        self.zone = zone
        self.partition = partition
        self.user = user
        self.input = input
        self.verdict = verdict
        self.rule = rule
        self.reason = reason
        self.incident = incident
    }
}
