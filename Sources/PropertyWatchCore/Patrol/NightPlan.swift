/// Tonight's patrol as planned and as it is going: shifts, routes with concrete windows and
/// the state of every stop, the live state of every unit, and the night's coverage.
public struct NightPlan: Sendable, Hashable {
    /// The local date on which the night starts (the evening).
    public var night: LocalDate
    public var shifts: [ShiftInstance]
    public var routes: [PlannedRoute]
    /// Every configured unit, ordered by id.
    public var units: [UnitSnapshot]

    public init(night: LocalDate, shifts: [ShiftInstance] = [], routes: [PlannedRoute] = [], units: [UnitSnapshot] = []) {
        self.night = night
        self.shifts = shifts
        self.routes = routes
        self.units = units
    }

    /// Done, late, missed and still pending stops over all routes.
    public var coverage: NightCoverage {
        var c = NightCoverage()
        for stop in routes.lazy.flatMap(\.stops) {
            switch stop.status {
            case .pending: c.pending += 1
            case .done: c.done += 1
            case .late: c.late += 1
            case .missed: c.missed += 1
            }
        }
        return c
    }

    /// The stop with `id`, wherever it is.
    public func stop(_ id: String) -> PlannedStop? {
        for route in routes { if let s = route.stops.first(where: { $0.id == id }) { return s } }
        return nil
    }

    /// The route of `unit` (its first one, when it drives several).
    public func route(of unit: UnitID) -> PlannedRoute? { routes.first { $0.unit == unit } }

    public func unit(_ id: UnitID) -> UnitSnapshot? { units.first { $0.unit == id } }
}

/// One concrete occurrence of a shift: a unit on duty between two instants.
public struct ShiftInstance: Sendable, Hashable, Codable {
    public var shift: String
    public var unit: UnitID
    public var start: Timestamp
    public var end: Timestamp

    public init(shift: String, unit: UnitID, start: Timestamp, end: Timestamp) {
        self.shift = shift
        self.unit = unit
        self.start = start
        self.end = end
    }

    public func contains(_ time: Timestamp) -> Bool { start <= time && time < end }
}

/// A route for tonight: its stops in driving order.
public struct PlannedRoute: Sendable, Hashable, Codable {
    public var id: String
    public var unit: UnitID
    public var stops: [PlannedStop]

    public init(id: String, unit: UnitID, stops: [PlannedStop]) {
        self.id = id
        self.unit = unit
        self.stops = stops
    }
}

/// How a stop went.
public enum StopStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case pending
    /// Visited within its window (or a little early).
    case done
    /// Visited after its window ended.
    case late
    /// The window ended without a visit (may still become `late`).
    case missed
}

/// A stop with its window as instants.
public struct PlannedStop: Sendable, Hashable, Codable {
    /// Stable within the night: `route#index` for configured stops, `directed-N` for directed checks.
    public var id: String
    public var site: SiteID
    public var windowStart: Timestamp
    public var windowEnd: Timestamp
    public var dwell: Milliseconds
    public var status: StopStatus
    public var visitedAt: Timestamp?
    /// Set for an operator's directed check.
    public var directed: DirectedCheck?
    /// Set for a revisit proposed after the stop with this id was missed.
    public var revisitOf: String?

    public init(
        id: String, site: SiteID, windowStart: Timestamp, windowEnd: Timestamp, dwell: Milliseconds,
        status: StopStatus = .pending, visitedAt: Timestamp? = nil, directed: DirectedCheck? = nil,
        revisitOf: String? = nil
    ) {
        self.id = id
        self.site = site
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.dwell = dwell
        self.status = status
        self.visitedAt = visitedAt
        self.directed = directed
        self.revisitOf = revisitOf
    }
}

/// Who asked for a directed check, and why.
public struct DirectedCheck: Sendable, Hashable, Codable {
    public var by: String
    public var reason: String
    public var requestedAt: Timestamp

    public init(by: String, reason: String, requestedAt: Timestamp) {
        self.by = by
        self.reason = reason
        self.requestedAt = requestedAt
    }
}

/// Done/late/missed counts of a night.
public struct NightCoverage: Sendable, Hashable {
    public var done = 0
    public var late = 0
    public var missed = 0
    public var pending = 0

    public init(done: Int = 0, late: Int = 0, missed: Int = 0, pending: Int = 0) {
        self.done = done
        self.late = late
        self.missed = missed
        self.pending = pending
    }
}

/// What is known about a unit right now.
public struct UnitSnapshot: Sendable, Hashable {
    public var unit: UnitID
    public var onShift: Bool
    /// The state the unit last reported, if any.
    public var reportedState: UnitState?
    public var position: Coordinate?
    public var positionTime: Timestamp?
    /// The site whose geofence (or check-in) the unit is at.
    public var atSite: SiteID?
    /// The next pending stop on its route.
    public var nextStop: String?
    /// The incident it has accepted or been asked to take.
    public var incident: IncidentID?

    public init(
        unit: UnitID, onShift: Bool, reportedState: UnitState? = nil, position: Coordinate? = nil,
        positionTime: Timestamp? = nil, atSite: SiteID? = nil, nextStop: String? = nil,
        incident: IncidentID? = nil
    ) {
        self.unit = unit
        self.onShift = onShift
        self.reportedState = reportedState
        self.position = position
        self.positionTime = positionTime
        self.atSite = atSite
        self.nextStop = nextStop
        self.incident = incident
    }
}
