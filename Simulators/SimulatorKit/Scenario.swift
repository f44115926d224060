import PropertyWatchCore

/// A night to play against the daemon: when it starts and ends, the configuration, what
/// happens when, how the patrol units behave, and what must come out.
public struct Scenario: Sendable, Hashable {
    public var name: String
    public var description: String
    /// The configuration file, resolved against the scenario file's directory.
    public var configurationPath: String
    public var start: Timestamp
    public var end: Timestamp
    public var seed: UInt64
    /// Virtual-clock step between events.
    public var step: Milliseconds
    public var heartbeats: Bool
    public var drivesRoutes: Bool
    public var units: [UnitID: AnswerPolicy]
    public var defaultPolicy: AnswerPolicy
    public var events: [ScheduledEvent]
    public var expectation: ScenarioExpectation

    public init(
        name: String, description: String = "", configurationPath: String, start: Timestamp, end: Timestamp,
        seed: UInt64 = 1, step: Milliseconds = .minutes(1), heartbeats: Bool = true, drivesRoutes: Bool = true,
        units: [UnitID: AnswerPolicy] = [:], defaultPolicy: AnswerPolicy = AnswerPolicy(),
        events: [ScheduledEvent] = [], expectation: ScenarioExpectation = ScenarioExpectation()
    ) {
        self.name = name
        self.description = description
        self.configurationPath = configurationPath
        self.start = start
        self.end = end
        self.seed = seed
        self.step = step
        self.heartbeats = heartbeats
        self.drivesRoutes = drivesRoutes
        self.units = units
        self.defaultPolicy = defaultPolicy
        self.events = events
        self.expectation = expectation
    }
}

/// Something that happens at a time in a scenario.
public struct ScheduledEvent: Sendable, Hashable {
    public var at: Timestamp
    public var action: Action

    public enum Action: Sendable, Hashable {
        case alarm(site: SiteID, device: DeviceID, eventClass: EventClass, restore: Bool, code: String?, panel: PanelFields = PanelFields())
        case camera(site: SiteID, camera: DeviceID, label: ObjectLabel, zones: [ZoneID]?, score: Double, format: CameraSimulator.Format)
        /// Sets (or with nil clears) a device fault; heartbeat silence is `.silent`.
        case fault(site: SiteID, device: DeviceID, fault: PanelFault?)
        case checkIn(unit: UnitID, site: SiteID, present: Bool)
        case unitStatus(unit: UnitID, state: UnitState)
        /// Frigate publishes `frigate/available`: `online` or `offline`.
        case frigate(online: Bool)
    }

    public init(at: Timestamp, action: Action) {
        self.at = at
        self.action = action
    }
}

/// What a scenario requires of the daemon.
public struct ScenarioExpectation: Sendable, Hashable {
    public var incidents: [ExpectedIncident]
    /// Incidents not listed fail the scenario (guard requests for them always do).
    public var onlyListedIncidents: Bool
    /// Warnings that must appear (site may be nil: any site).
    public var warnings: [ExpectedWarning]
    /// Warning codes that must not appear.
    public var forbiddenWarnings: [String]
    /// Every event a device sent must end up acknowledged.
    public var allAcknowledged: Bool

    public init(
        incidents: [ExpectedIncident] = [], onlyListedIncidents: Bool = true, warnings: [ExpectedWarning] = [],
        forbiddenWarnings: [String] = [], allAcknowledged: Bool = true
    ) {
        self.incidents = incidents
        self.onlyListedIncidents = onlyListedIncidents
        self.warnings = warnings
        self.forbiddenWarnings = forbiddenWarnings
        self.allAcknowledged = allAcknowledged
    }
}

/// One incident a scenario expects. Nil fields are not checked.
public struct ExpectedIncident: Sendable, Hashable {
    public var site: SiteID
    /// The highest priority it reached.
    public var priority: IncidentPriority?
    /// As carried by its last guard request.
    public var verification: Verification?
    /// Its state at the end of the night.
    public var state: IncidentState?
    /// States it must have passed through (any order).
    public var states: [IncidentState]
    /// Units asked, in order (exactly these).
    public var requested: [UnitID]?
    /// The unit that accepted it.
    public var acceptedBy: UnitID?
    /// Escalation targets (`central`, `on-call`), exactly these.
    public var escalations: [String]?
    /// Text some transition's cause must contain.
    public var causeContains: String?

    public init(
        site: SiteID, priority: IncidentPriority? = nil, verification: Verification? = nil, state: IncidentState? = nil,
        states: [IncidentState] = [], requested: [UnitID]? = nil, acceptedBy: UnitID? = nil, escalations: [String]? = nil,
        causeContains: String? = nil
    ) {
        self.site = site
        self.priority = priority
        self.verification = verification
        self.state = state
        self.states = states
        self.requested = requested
        self.acceptedBy = acceptedBy
        self.escalations = escalations
        self.causeContains = causeContains
    }
}

/// A warning a scenario expects.
public struct ExpectedWarning: Sendable, Hashable {
    public var code: String
    public var site: SiteID?

    public init(code: String, site: SiteID? = nil) {
        self.code = code
        self.site = site
    }
}

/// What a panel adds to an alarm event: the zone (by id or number), the partition and the user.
public struct PanelFields: Sendable, Hashable {
    public var zone: String?
    public var partition: String?
    public var user: String?
    /// With class `trouble`: `low-battery`, `mains-failure`, … (default `general`).
    public var trouble: TroubleKind?

    public init(zone: String? = nil, partition: String? = nil, user: String? = nil, trouble: TroubleKind? = nil) {
        self.zone = zone
        self.partition = partition
        self.user = user
        self.trouble = trouble
    }
}
