/// A patrol unit (a car with one or two guards).
public struct UnitConfiguration: Sendable, Hashable, Codable {
    public var id: UnitID
    public var callSign: String
    /// Free-form capabilities, e.g. `keys`, `fire-extinguisher`, `first-aid`.
    public var capabilities: Set<String>

    public init(id: UnitID, callSign: String, capabilities: Set<String> = []) {
        self.id = id
        self.callSign = callSign
        self.capabilities = capabilities
    }
}

/// A planned stop on a night route.
public struct RouteStop: Sendable, Hashable, Codable {
    public var site: SiteID
    /// Planned window, as local times of the shift's night.
    public var windowStart: LocalTime
    public var windowEnd: LocalTime
    public var dwellMinutes: Int

    public init(site: SiteID, windowStart: LocalTime, windowEnd: LocalTime, dwellMinutes: Int) {
        self.site = site
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.dwellMinutes = dwellMinutes
    }
}

/// A nightly route driven by one unit.
public struct RouteConfiguration: Sendable, Hashable, Codable {
    public var id: String
    public var unit: UnitID
    public var stops: [RouteStop]

    public init(id: String, unit: UnitID, stops: [RouteStop]) {
        self.id = id
        self.unit = unit
        self.stops = stops
    }
}

/// When a unit is on duty: weekdays (ISO numbering, Monday = 1) on which a shift starts,
/// and its local start and end (end before start means it runs past midnight).
public struct ShiftConfiguration: Sendable, Hashable, Codable {
    public var id: String
    public var units: [UnitID]
    public var weekdays: Set<Int>
    public var start: LocalTime
    public var end: LocalTime

    public init(id: String, units: [UnitID], weekdays: Set<Int>, start: LocalTime, end: LocalTime) {
        self.id = id
        self.units = units
        self.weekdays = weekdays
        self.start = start
        self.end = end
    }
}

/// How long it takes to drive between two places: great-circle distance × road factor ÷ speed.
public struct TravelTimeModel: Sendable, Hashable, Codable {
    public var roadFactor: Double
    /// Kilometres per hour.
    public var averageSpeed: Double

    public init(roadFactor: Double = 1.3, averageSpeed: Double = 50) {
        self.roadFactor = roadFactor
        self.averageSpeed = averageSpeed
    }
}

/// Who is told when no unit takes an incident.
public struct EscalationConfiguration: Sendable, Hashable, Codable {
    /// The guard company's central, reached by an HTTP POST.
    public var centralWebhookURL: String?
    /// The on-call contact (a phone number or a topic), told last.
    public var onCallContact: String?
    /// Configured escalation chains per priority (`patrol.escalation.chains`), over the
    /// `DispatchPolicy` defaults; `defaultChain` applies to every priority.
    public var chains: [IncidentPriority: EscalationChain] = [:]
    public var defaultChain: EscalationChain?

    public init(centralWebhookURL: String? = nil, onCallContact: String? = nil) {
        self.centralWebhookURL = centralWebhookURL
        self.onCallContact = onCallContact
    }
}

/// Everything about the people who go out at night.
public struct PatrolConfiguration: Sendable, Hashable, Codable {
    public var units: [UnitConfiguration]
    public var shifts: [ShiftConfiguration]
    public var routes: [RouteConfiguration]
    public var travel: TravelTimeModel
    public var escalation: EscalationConfiguration

    public init(
        units: [UnitConfiguration] = [], shifts: [ShiftConfiguration] = [],
        routes: [RouteConfiguration] = [], travel: TravelTimeModel = TravelTimeModel(),
        escalation: EscalationConfiguration = EscalationConfiguration()
    ) {
        self.units = units
        self.shifts = shifts
        self.routes = routes
        self.travel = travel
        self.escalation = escalation
    }
}
