/// Tunables of the dispatch planner, checkpoint tracking and escalation. Every default is
/// what the municipality's night patrol agreed on; all of them can be overridden.
public struct DispatchPolicy: Sendable, Hashable {
    /// Capabilities a unit must have to be asked for an incident of a priority (none by default).
    public var requiredCapabilities: [IncidentPriority: Set<String>]
    /// How long a unit has to accept or decline, per priority; `defaultAcknowledgementTimeout` otherwise.
    public var acknowledgementTimeouts: [IncidentPriority: Milliseconds]
    public var defaultAcknowledgementTimeout: Milliseconds
    /// Weight of the total delay an insertion causes to a unit's remaining stops, against its ETA.
    public var delayWeight: Double
    /// A unit on site or arriving within this is preferred whatever its other commitments
    /// (a negative value turns the preference off).
    public var preferredWithin: Milliseconds
    /// At or above this priority the unit drives to the incident first (no insertion later in its route).
    public var immediateFrom: IncidentPriority
    /// Time a guard is assumed to spend at an incident when planning the rest of the route.
    public var incidentDwell: Milliseconds
    /// Dwell of an operator's directed check.
    public var directedDwell: Milliseconds
    /// A position within this many metres of a site is inside its geofence.
    public var geofenceRadiusMeters: Double
    /// How long a unit must stay inside a geofence for the stop to count.
    public var minimumGeofenceDwell: Milliseconds
    /// A visit this long before a stop's window opens still counts for it.
    public var earlyVisitTolerance: Milliseconds
    /// First central webhook retry delay; doubled after each failure.
    public var centralRetryBase: Milliseconds
    /// Central deliveries attempted before the on-call contact is told.
    public var centralMaxAttempts: Int
    /// Tell the on-call contact at the same time as the central rather than only when it is unreachable.
    public var onCallWithCentral: Bool
    /// Local time at which one night ends and the next begins (noon).
    public var nightBoundary: LocalTime
    /// When no unit is free, an incident at or above this priority takes a unit busy with a
    /// lower-priority incident (nil: never). The lower incident is asked again or queued.
    public var preemptFrom: IncidentPriority?
    /// Whether a unit already on site at the lower incident may be taken as well.
    public var preemptOnSite: Bool
    /// The escalation chain per priority (see `EscalationChain`); by default a fire or a
    /// hold-up tells the on-call contact at once.
    public var escalation: [IncidentPriority: EscalationChain]
    /// Under every priority's chain.
    public var defaultEscalation: EscalationChain

    public init(
        requiredCapabilities: [IncidentPriority: Set<String>] = [:],
        acknowledgementTimeouts: [IncidentPriority: Milliseconds] = [
            .fire: .seconds(60), .holdUp: .seconds(60), .verifiedIntrusion: .seconds(120),
        ],
        defaultAcknowledgementTimeout: Milliseconds = .seconds(180),
        delayWeight: Double = 0.5,
        preferredWithin: Milliseconds = .minutes(5),
        immediateFrom: IncidentPriority = .holdUp,
        incidentDwell: Milliseconds = .minutes(15),
        directedDwell: Milliseconds = .minutes(10),
        geofenceRadiusMeters: Double = 150,
        minimumGeofenceDwell: Milliseconds = .minutes(1),
        earlyVisitTolerance: Milliseconds = .minutes(10),
        centralRetryBase: Milliseconds = .seconds(30),
        centralMaxAttempts: Int = 4,
        onCallWithCentral: Bool = false,
        nightBoundary: LocalTime = LocalTime(hour: 12),
        preemptFrom: IncidentPriority? = .holdUp,
        preemptOnSite: Bool = false,
        escalation: [IncidentPriority: EscalationChain] = [
            .fire: EscalationChain(atOnce: [.onCall]), .holdUp: EscalationChain(atOnce: [.onCall]),
        ],
        defaultEscalation: EscalationChain = EscalationChain()
    ) {
        self.requiredCapabilities = requiredCapabilities
        self.acknowledgementTimeouts = acknowledgementTimeouts
        self.defaultAcknowledgementTimeout = defaultAcknowledgementTimeout
        self.delayWeight = delayWeight
        self.preferredWithin = preferredWithin
        self.immediateFrom = immediateFrom
        self.incidentDwell = incidentDwell
        self.directedDwell = directedDwell
        self.geofenceRadiusMeters = geofenceRadiusMeters
        self.minimumGeofenceDwell = minimumGeofenceDwell
        self.earlyVisitTolerance = earlyVisitTolerance
        self.centralRetryBase = centralRetryBase
        self.centralMaxAttempts = centralMaxAttempts
        self.onCallWithCentral = onCallWithCentral
        self.nightBoundary = nightBoundary
        self.preemptFrom = preemptFrom
        self.preemptOnSite = preemptOnSite
        self.escalation = escalation
        self.defaultEscalation = defaultEscalation
    }

    /// The acknowledgement timeout for `priority`: its chain's unit timeout, else
    /// `acknowledgementTimeouts`, else the default.
    public func acknowledgementTimeout(for priority: IncidentPriority) -> Milliseconds {
        chain(for: priority).unitTimeout ?? acknowledgementTimeouts[priority] ?? defaultAcknowledgementTimeout
    }

    /// The escalation chain of `priority`, with the default chain's members where it has none.
    public func chain(for priority: IncidentPriority) -> EscalationChain {
        (escalation[priority] ?? EscalationChain()).over(defaultEscalation)
    }

    /// This policy with the configured chains laid over its own, member by member.
    public func applying(_ configured: EscalationConfiguration) -> DispatchPolicy {
        var policy = self
        if let base = configured.defaultChain {
            policy.defaultEscalation = base.over(defaultEscalation)
            // A configured default member overrides the built-in per-priority ones too.
            for (priority, chain) in policy.escalation {
                policy.escalation[priority] = EscalationChain(
                    unitTimeout: base.unitTimeout ?? chain.unitTimeout, maxUnits: base.maxUnits ?? chain.maxUnits,
                    centralTimeout: base.centralTimeout ?? chain.centralTimeout, atOnce: base.atOnce ?? chain.atOnce,
                    checkInstead: base.checkInstead ?? chain.checkInstead)
            }
        }
        for (priority, chain) in configured.chains {
            policy.escalation[priority] = chain.over(policy.escalation[priority] ?? EscalationChain())
        }
        return policy
    }

    /// The delay before central attempt `attempt + 1` after `attempt` failed (1-based).
    public func centralRetryDelay(afterAttempt attempt: Int) -> Milliseconds {
        centralRetryBase * Int64(1 << min(max(attempt - 1, 0), 20))
    }
}
