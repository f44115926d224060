/// What an intrusion nothing has verified yet does (CLC/TS 50131-9: an *unverified* alarm).
public enum UnverifiedAction: String, Sendable, Hashable, CaseIterable, Encodable {
    /// Dispatch a guard at the unverified-intrusion priority.
    case dispatch
    /// Ask the patrol for a directed check of the site; no emergency dispatch.
    case directedCheck = "directed-check"
    /// Keep the incident for operators only; it is closed when its wait ends unverified.
    case record
}

/// The rule for unverified intrusions: wait up to `wait` for a second zone or a camera to
/// verify it (verify first), then do `action`. A `wait` of zero acts at once.
public struct UnverifiedIntrusionPolicy: Sendable, Hashable, Encodable {
    public var wait: Milliseconds
    public var action: UnverifiedAction

    public init(wait: Milliseconds = Milliseconds(0), action: UnverifiedAction = .dispatch) {
        self.wait = wait
        self.action = action
    }

    /// Dispatch at once.
    public static let dispatch = UnverifiedIntrusionPolicy()
    /// Wait for verification up to `minutes`, then dispatch.
    public static func verifyFirst(minutes: Int64, then action: UnverifiedAction = .dispatch) -> Self {
        UnverifiedIntrusionPolicy(wait: .minutes(minutes), action: action)
    }

    /// How operators read it, e.g. `verify-first 5 min, then dispatch`.
    public var name: String {
        wait.value > 0 ? "verify-first \(wait.value / 60_000) min, then \(action.rawValue)" : action.rawValue
    }
}

/// What a person or vehicle seen by a camera, with no alarm, does while its zone's partition is armed.
public enum CameraDetectionPolicy: String, Sendable, Hashable, CaseIterable, Encodable {
    /// An observation record: kept for video verification and shown to operators, no incident.
    case observation
    /// An incident (the kind `camera-alarm`), as for zones configured as camera alarm zones.
    case incident
}

/// What an intrusion while its partition is unset does (CLC/TS 50131-9: not an alarm).
public enum AlarmWhileUnsetPolicy: String, Sendable, Hashable, CaseIterable, Encodable {
    /// Counted and recorded as a decision only.
    case record
    /// A technical `alarm-while-unset` incident, never dispatched (unless its priority says so).
    case incident
}

/// What a late-to-close incident asks of the patrol.
public enum LateToCloseCheck: String, Sendable, Hashable, CaseIterable, Encodable {
    /// Nothing: the operators see the incident.
    case off
    /// A `check-proposed` warning: an operator confirms it with a directed check (`POST /api/directed-checks`).
    case propose
    /// A directed check of the site, added to the route at once and withdrawn when the partition is set.
    case check
}

/// Which detections count as a *second* one for sequential verification.
public enum SequentialRequirement: String, Sendable, Hashable, CaseIterable, Encodable {
    /// Another zone (a panel zone, or a room); a detector repeating never verifies itself.
    case distinctZones = "distinct-zones"
    /// Another detector, even in the same zone.
    case distinctDetectors = "distinct-detectors"
}

/// Flapping: `changes` alarm/restore changes within `window` make a zone flapping; it stays
/// so until `quiet` passes without a change.
public struct FlapRule: Sendable, Hashable, Codable {
    public var changes: Int
    public var window: Milliseconds
    public var quiet: Milliseconds

    public init(changes: Int = 6, window: Milliseconds = .minutes(10), quiet: Milliseconds = .minutes(10)) {
        self.changes = changes
        self.window = window
        self.quiet = quiet
    }
}

/// The correlation rule settings in force at one site. Windows are inclusive ("within 30 min"
/// means a difference of at most 30 min) unless a field says otherwise. Every field is a
/// configuration key (see `REFERENCE.md`, section `rules`); zones may override some of them.
public struct CorrelationRules: Sendable, Hashable, Encodable {
    /// A second detection (see `sequentialRequires`) within this long verifies (sequential verification).
    public var verificationWindow: Milliseconds = .minutes(30)
    public var sequentialRequires: SequentialRequirement = .distinctZones
    /// A person/vehicle camera detection from this long before an alarm…
    public var videoBefore: Milliseconds = .minutes(2)
    /// …to this long after it verifies it (video verification).
    public var videoAfter: Milliseconds = .minutes(2)
    public var unverifiedIntrusion: UnverifiedIntrusionPolicy = .dispatch
    public var cameraDetection: CameraDetectionPolicy = .observation
    public var alarmWhileUnset: AlarmWhileUnsetPolicy = .record
    /// Intrusions held back this long by detector kind; a restore strictly before
    /// `alarm + delay` cancels. Zones may override. Never applied to fire or hold-up.
    public var restoreCancel: [DeviceKind: Milliseconds] = [.door: .seconds(30)]
    public var flapping = FlapRule()
    /// Token bucket per device over alarm events and camera triggers.
    public var floodRatePerMinute: Int64 = 60
    public var floodBurst: Int64 = 20
    /// A flood ends after this long without excess events; then its summary is emitted.
    public var floodCalm: Milliseconds = .minutes(1)
    /// A supervised device is in fault after this many intervals without a message…
    public var supervisionMissed: Int64 = 3
    /// …plus this grace.
    public var supervisionGrace: Milliseconds = .seconds(30)
    /// A supervision fault asks the patrol for a directed check of the site (withdrawn when
    /// the device is heard again).
    public var supervisionDirectedCheck: Bool = true
    /// What a late-to-close incident asks of the patrol.
    public var lateToCloseCheck: LateToCloseCheck = .propose
    /// All supervised devices of a site silent together (possible sabotage) is a
    /// `communication-failure` incident when the site has at least this many.
    public var communicationFailureMinDevices: Int = 2
    /// Events while a patrol unit is checked in are attributed to it (except fire, hold-up).
    public var guardPresenceAttributes: Bool = true
    /// A check-in without a check-out counts for this long.
    public var guardPresenceTimeout: Milliseconds = .hours(2)
    /// Events within this long of an open incident's last event join it.
    public var mergeWindow: Milliseconds = .minutes(30)
    /// The priority of each kind of incident.
    public var priorities: [IncidentKind: IncidentPriority] = IncidentKind.defaultPriorities
    /// Incidents at or above this priority are dispatched (below it they are only opened).
    public var dispatchThreshold: IncidentPriority = .tamper

    public init() {}

    public func priority(_ kind: IncidentKind) -> IncidentPriority {
        priorities[kind] ?? IncidentKind.defaultPriorities[kind] ?? .trouble
    }

    /// The restore-cancel delay for an intrusion in `zone` from a detector of `kind`, in ms (0: none).
    public func restoreDelay(zone: ZoneConfiguration?, kind: DeviceKind?) -> Int64 {
        if let delay = zone?.restoreCancel { return max(0, delay.value) }
        guard let kind = zone?.detector ?? kind else { return 0 }
        return max(0, restoreCancel[kind]?.value ?? 0)
    }
}

/// Correlation rules: global defaults with per-site overrides (zones override in their own
/// configuration, `ZoneConfiguration`).
public struct CorrelationPolicy: Sendable, Hashable {
    public var defaults: CorrelationRules
    public var overrides: [SiteID: CorrelationRules]
    /// How often unset partitions are checked against their calendar for late-to-close.
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

    /// The rules in force at `site`: an explicit override, else the site's configured rules,
    /// else the defaults.
    public func forSite(_ site: SiteID) -> CorrelationRules { overrides[site] ?? defaults }
}
