/// Night-patrol dispatch as one deterministic state machine: tonight's plan and checkpoints,
/// choosing and asking units for incidents, acknowledgement timeouts and escalation to the
/// guard company central and the on-call contact.
///
/// It does not own the incidents' states: it reports what happened in dispatch as
/// `DispatchFact`s (a unit was asked, accepted, is on its way, arrived, cleared; the incident
/// was escalated), in order among its other actions, and the correlation engine turns them
/// into transitions. It is the only reader of guard replies: what a reply means for the
/// lifecycle reaches the engine as facts, so a reply the coordinator sets aside (a unit told
/// to stand down, an unexpected answer) changes no incident.
///
/// Timers run only in `tick(now:)`; call it at `nextDeadline`. Ties are broken by `UnitID`.
///
/// Decisions worth knowing:
/// - A unit is asked at most once per incident; a unit with a request pending or an incident
///   accepted is not asked for another one.
/// - A late accept (after the unit's request timed out, or after it declined) is taken when no
///   other unit has accepted: the unit asked meanwhile gets a `stand-down` warning. Otherwise
///   the late unit gets the `stand-down` warning. Each unit is told to stand down once.
/// - A unit that reports `off-duty`, or declines after accepting, is replaced as after a decline.
/// - Escalation is reported as one `escalated` fact; see the escalation extension for the
///   central and on-call rules. A unit accepting later still takes the incident.
/// - Visits count from `earlyVisitTolerance` before a window; a geofence stay counts for one stop.
public struct DispatchCoordinator: Sendable {
    public let directory: SiteDirectory
    public let policy: DispatchPolicy
    let calendar: NightCalendar
    let planner: RoutePlanner
    /// Configured units, ordered by id.
    let unitIDs: [UnitID]

    var night: LocalDate?
    var shifts: [ShiftInstance] = []
    var routes: [PlannedRoute] = [] {
        didSet { patrolDeadlineIsCurrent = false }
    }
    var units: [UnitID: UnitTrack] = [:]
    var incidents: [IncidentID: IncidentDispatch] = [:]
    /// Incidents ended before this coordinator saw them, so a replay cannot start a dispatch.
    var endedUnknown: [IncidentID: Timestamp] = [:]
    var directedKeys: Set<DirectedKey> = []
    /// Checks a rule asked for about an incident (`DispatchInput.incidentCheck`), withdrawn
    /// when it ends: the unit and the stop.
    var incidentChecks: [IncidentID: CheckRef] = [:]
    /// Incidents waiting for a unit to become free, served after every public call.
    var queue: [IncidentID] = []
    /// Units whose plan changed since it was last published, with why; published after every
    /// public call. And each unit's last published version tonight.
    var planChanges: [UnitID: [String]] = [:]
    var planVersions: [UnitID: Int] = [:]
    var revisitCount = 0
    var directedCount = 0
    var lastNow: Timestamp?
    /// `IncidentTimes.responseTime` (alarm or verification to on site), per incident still
    /// kept (until a day after it ended).
    public internal(set) var responseTimes: [IncidentID: Milliseconds] = [:]
    /// Acknowledgement timeouts and central retries, with stale entries; the first is current
    /// between public calls.
    var deadlines = DeadlineHeap<IncidentDeadline>()
    /// The earliest stop window end or geofence dwell completion, when `patrolDeadlineIsCurrent`.
    var patrolDeadline: Timestamp?
    /// Cleared whenever routes or geofence stays change.
    var patrolDeadlineIsCurrent = false

    /// A directed check on a unit's route.
    struct CheckRef: Sendable, Hashable, Codable {
        var unit: UnitID
        var stop: String
    }

    struct DirectedKey: Sendable, Hashable, Codable {
        var site: SiteID
        var notBefore: Timestamp?
        var by: String
        var reason: String
    }

    public init(directory: SiteDirectory, policy: DispatchPolicy = DispatchPolicy()) {
        self.directory = directory
        self.policy = policy.applying(directory.configuration.patrol.escalation)
        self.calendar = NightCalendar(boundary: policy.nightBoundary)
        self.planner = RoutePlanner(travel: directory.configuration.patrol.travel)
        self.unitIDs = directory.configuration.patrol.units.map(\.id).sorted()
        for id in unitIDs { units[id] = UnitTrack() }
    }

    /// Handles one input received at `now`.
    public mutating func handle(_ input: DispatchInput, now: Timestamp) -> [DispatchAction] {
        var actions: [DispatchAction] = []
        defer { settleDeadlines() }
        advance(to: now)
        switch input {
        case .incidentNeedsGuard(let incident): needsGuard(incident, now: now, into: &actions)
        case .incidentEnded(let id, let reason): ended(id, reason: reason, now: now, into: &actions)
        case .position(let p): position(p, now: now, into: &actions)
        case .checkIn(let c): checkIn(c, now: now, into: &actions)
        case .unitStatus(let s): unitStatus(s, now: now, into: &actions)
        case .reply(let r): reply(r, now: now, into: &actions)
        case .directedCheck(let site, let notBefore, let by, let reason):
            directedCheck(DirectedKey(site: site, notBefore: notBefore, by: by, reason: reason), now: now, into: &actions)
        case .incidentCheck(let site, let incident, let reason):
            incidentCheck(site: site, incident: incident, reason: reason, now: now, into: &actions)
        case .centralDelivery(let id, let key, let succeeded):
            centralDelivery(id, key: key, succeeded: succeeded, now: now, into: &actions)
        }
        serveQueue(now: now, into: &actions)
        publishPlans(now: now, into: &actions)
        return actions
    }

    /// Lets time pass: acknowledgement timeouts, stop windows, geofence dwell, webhook retries.
    public mutating func tick(now: Timestamp) -> [DispatchAction] {
        var actions: [DispatchAction] = []
        defer { settleDeadlines() }
        advance(to: now)
        creditGeofenceDwell(now: now, into: &actions)
        expireStopWindows(now: now, into: &actions)
        let due = takeDue(now: now)
        expireRequests(due.acknowledgements, now: now, into: &actions)
        retryCentral(due.retries, now: now, into: &actions)
        centralTimedOut(due.centralTimeouts, now: now, into: &actions)
        // A due timer left as it was (a retry while a unit has the incident) stays due.
        for entry in due.entries where isCurrent(entry) { deadlines.push(entry) }
        serveQueue(now: now, into: &actions)
        publishPlans(now: now, into: &actions)
        return actions
    }

    /// Tonight's routes, stop states, unit states and coverage (empty before the first input).
    public var tonight: NightPlan {
        let now = lastNow ?? Timestamp(millisecondsSinceEpoch: 0)
        return NightPlan(
            night: night ?? LocalDate(year: 1970, month: 1, day: 1), shifts: shifts, routes: routes,
            units: unitIDs.map { snapshot(of: $0, now: now) })
    }

    /// When `unit` could be at `site` if it left now: from its last position, else its current
    /// or next stop. Nil when nothing is known of where it is.
    public func eta(of unit: UnitID, to site: SiteID, now: Timestamp) -> Timestamp? {
        guard let from = location(of: unit), let to = directory.site(site)?.location else { return nil }
        return now + planner.travel.travelTime(from: from, to: to)
    }

    /// Whether `unit` is inside one of tonight's shifts at `time`.
    public func isOnShift(_ unit: UnitID, at time: Timestamp) -> Bool {
        shifts.contains { $0.unit == unit && $0.contains(time) }
    }

    // MARK: - Plan

    /// Builds tonight's plan when `now` has moved into a new night.
    mutating func advance(to now: Timestamp) {
        lastNow = now
        let current = calendar.night(containing: now)
        guard current != night else { return }
        night = current
        buildPlan(for: current)
        directedKeys.removeAll()
        incidentChecks.removeAll()
        planVersions.removeAll()
        planChanges.removeAll()
        revisitCount = 0
        for route in routes { planChanged(route.unit, "tonight's plan") }
        for id in unitIDs where units[id]?.reported == .offDuty { units[id]?.reported = nil }
        let horizon = now - .hours(24)
        incidents = incidents.filter { !($0.value.endedAt.map { $0 < horizon } ?? false) }
        responseTimes = responseTimes.filter { incidents[$0.key] != nil }
        endedUnknown = endedUnknown.filter { $0.value >= horizon }
    }

    mutating func buildPlan(for night: LocalDate) {
        let patrol = directory.configuration.patrol
        shifts = []
        routes = []
        for unit in unitIDs {
            let mine = patrol.shifts.compactMap { calendar.instance(of: $0, unit: unit, in: night) }
            guard !mine.isEmpty else { continue }
            shifts += mine
            let configured = patrol.routes.filter { $0.unit == unit }
            guard !configured.isEmpty else { continue }
            var stops: [(stop: PlannedStop, order: Int)] = []
            for route in configured {
                for (i, s) in route.stops.enumerated() {
                    let w = calendar.span(from: s.windowStart, to: s.windowEnd, in: night)
                    stops.append((PlannedStop(
                        id: "\(route.id)#\(i)", site: s.site, windowStart: w.start, windowEnd: w.end,
                        dwell: .minutes(Int64(s.dwellMinutes))), stops.count))
                }
            }
            stops.sort { ($0.stop.windowStart, $0.order) < ($1.stop.windowStart, $1.order) }
            routes.append(PlannedRoute(
                id: configured.map(\.id).joined(separator: "+"), unit: unit, stops: stops.map(\.stop)))
        }
    }

    func routeIndex(of unit: UnitID) -> Int? { routes.firstIndex { $0.unit == unit } }

    /// The unit's stops still to visit, in driving order.
    func remainingStops(of unit: UnitID) -> [PlannedStop] {
        guard let r = routeIndex(of: unit) else { return [] }
        return routes[r].stops.filter { $0.status == .pending }
    }

    func plannerStops(_ stops: [PlannedStop]) -> [RoutePlanner.Stop] {
        stops.compactMap { stop in
            directory.site(stop.site).map {
                RoutePlanner.Stop(location: $0.location, notBefore: stop.windowStart, dwell: stop.dwell)
            }
        }
    }

    /// Where the unit is, or failing that where it is (about to be).
    func location(of unit: UnitID) -> Coordinate? {
        guard let track = units[unit] else { return nil }
        if let p = track.position { return p }
        if let s = track.atSite ?? remainingStops(of: unit).first?.site { return directory.site(s)?.location }
        return nil
    }

    func shiftEnd(of unit: UnitID, at time: Timestamp) -> Timestamp? {
        shifts.first { $0.unit == unit && $0.contains(time) }?.end
    }

    func snapshot(of unit: UnitID, now: Timestamp) -> UnitSnapshot {
        let track = units[unit] ?? UnitTrack()
        return UnitSnapshot(
            unit: unit, onShift: isOnShift(unit, at: now), reportedState: track.reported,
            position: track.position, positionTime: track.positionTime, atSite: track.atSite,
            nextStop: remainingStops(of: unit).first?.id, incident: track.incident)
    }

    // MARK: - Formatting

    static func duration(_ ms: Milliseconds) -> String {
        let s = (ms.value + 500) / 1000
        if s < 60 { return "\(s) s" }
        return s % 60 == 0 ? "\(s / 60) min" : "\(s / 60) min \(s % 60) s"
    }

    static func clock(_ t: Timestamp) -> String { StockholmTime.local(t).time.description }
}
