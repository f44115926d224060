/// What to do with a lone intrusion trigger that nothing verifies.
public enum UnverifiedIntrusionPolicy: String, Sendable, Hashable, CaseIterable {
    /// Dispatch at `IncidentPriority.unverifiedIntrusion`.
    case dispatch
    /// Open the incident but do not dispatch; it is dispatched if verified within the
    /// verification window and closed when the window ends without verification.
    case recordOnly = "record-only"
}

/// What to do with an intrusion while the site is unset (CLC/TS 50131-9: no verified
/// intrusion while unset).
public enum AlarmWhileUnsetPolicy: String, Sendable, Hashable, CaseIterable {
    /// Count it; the journaled message is the record.
    case recordOnly = "record-only"
    /// Open (or join) a `trouble`-priority "alarm while unset" incident, never dispatched.
    case lowPriority = "low-priority"
}

/// Hold an alarm back for `delay`; if the detector restores within it, no incident.
public struct RestoreCancelRule: Sendable, Hashable {
    public var eventClass: EventClass
    public var deviceKinds: Set<DeviceKind>
    public var delay: Milliseconds

    public init(eventClass: EventClass, deviceKinds: Set<DeviceKind>, delay: Milliseconds) {
        self.eventClass = eventClass
        self.deviceKinds = deviceKinds
        self.delay = delay
    }
}

/// The correlation rule settings for one site. Windows are inclusive ("within 30 min" means a
/// difference of at most 30 min) unless a field says otherwise.
public struct CorrelationRules: Sendable, Hashable {
    /// A second, different detector within this long verifies (sequential verification).
    public var verificationWindow: Milliseconds = .minutes(30)
    /// A person/vehicle camera trigger this close to an alarm, either order, verifies it.
    public var videoWindow: Milliseconds = .minutes(2)
    /// Alarms held back waiting for a restore. The hold is half-open: a restore strictly
    /// before `alarm + delay` cancels; at `alarm + delay` the alarm proceeds.
    public var restoreCancel: [RestoreCancelRule] = [
        RestoreCancelRule(eventClass: .intrusion, deviceKinds: [.door], delay: .seconds(30))
    ]
    /// Token bucket per device over alarm events and camera triggers.
    public var floodRatePerMinute: Int64 = 60
    public var floodBurst: Int64 = 20
    /// A flood ends after this long without excess events; then its summary is emitted.
    public var floodCalm: Milliseconds = .minutes(1)
    /// Alarm/restore changes within `flapWindow` that make a detector flapping…
    public var flapToggles: Int = 10
    public var flapWindow: Milliseconds = .minutes(1)
    /// …and how long it must be quiet (no change) to stop flapping (the hysteresis).
    public var flapQuiet: Milliseconds = .minutes(5)
    /// A supervised device is offline after this many heartbeat intervals without a message.
    public var heartbeatMissedIntervals: Int64 = 3
    /// All supervised devices of a site silent (last seen within one interval of each other)
    /// raise a communication failure (possible sabotage) at this priority, when the site has
    /// at least `communicationFailureMinDevices` supervised devices.
    public var communicationFailurePriority: IncidentPriority = .tamper
    public var communicationFailureMinDevices: Int = 2
    public var unverifiedIntrusion: UnverifiedIntrusionPolicy = .dispatch
    public var alarmWhileUnset: AlarmWhileUnsetPolicy = .recordOnly
    /// Events while a patrol unit is checked in are attributed to it (except fire, hold-up).
    public var guardPresenceAttributes: Bool = true
    /// A check-in without a check-out counts for this long.
    public var guardPresenceTimeout: Milliseconds = .hours(2)
    /// Events within this long of an open incident's last event join it.
    public var mergeWindow: Milliseconds = .minutes(30)
    /// A site still unset this long after its scheduled close gets one late-to-close warning.
    public var lateToCloseGrace: Milliseconds = .minutes(30)
    /// Incidents at or above this priority are dispatched (`trouble` ones are only opened).
    public var dispatchThreshold: IncidentPriority = .tamper

    public init() {}
}

/// Correlation rules: defaults with per-site overrides.
public struct CorrelationPolicy: Sendable, Hashable {
    public var defaults: CorrelationRules
    public var overrides: [SiteID: CorrelationRules]
    /// How often unset sites are checked against their schedule for late-to-close.
    public var lateToCloseCheckInterval: Milliseconds
    /// Triggers kept per incident; later ones still count but are not listed.
    public var maxTriggersPerIncident: Int

    public init(
        defaults: CorrelationRules = CorrelationRules(), overrides: [SiteID: CorrelationRules] = [:],
        lateToCloseCheckInterval: Milliseconds = .minutes(1), maxTriggersPerIncident: Int = 32
    ) {
        self.defaults = defaults
        self.overrides = overrides
        self.lateToCloseCheckInterval = lateToCloseCheckInterval
        self.maxTriggersPerIncident = max(1, maxTriggersPerIncident)
    }

    /// The rules in force at `site`.
    public func forSite(_ site: SiteID) -> CorrelationRules { overrides[site] ?? defaults }
}
