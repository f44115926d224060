import PropertyWatchCore

/// One patrol car through a night: it drives its planned stops at a realistic speed, checks in
/// and out at each, answers guard requests by its `AnswerPolicy`, drives to accepted incidents,
/// reports arrival and clearing, and then resumes its route.
///
/// Deterministic: all times come from `advance(to:stamp:)`; its own jitter comes from a seeded
/// generator.
public struct PatrolCar: Sendable {
    /// What the car is doing.
    public enum Activity: Sendable, Hashable {
        case offShift
        /// Parked, nothing to do (end of route).
        case idle
        case driving(Leg)
        /// At a stop's site before its window opens.
        case waiting(stop: Int, until: Timestamp)
        /// Checked in at a stop.
        case atStop(stop: Int, until: Timestamp)
        /// At an incident.
        case atIncident(Job, until: Timestamp)
    }

    /// A drive from one place to another.
    public struct Leg: Sendable, Hashable {
        public var from: Coordinate
        public var to: Coordinate
        public var depart: Timestamp
        public var arrive: Timestamp
        public var target: Target
    }

    public enum Target: Sendable, Hashable {
        case stop(Int)
        case incident(Job)
    }

    /// An accepted guard request.
    public struct Job: Sendable, Hashable {
        public var incident: IncidentID
        public var request: String
        public var site: SiteID
    }

    /// A reply the car will send at a time.
    struct PendingReply: Sendable, Hashable {
        var at: Timestamp
        var request: GuardRequest
        var kind: GuardReply.Kind
    }

    public let unit: UnitID
    public var policy: AnswerPolicy
    public private(set) var activity: Activity = .offShift
    public private(set) var position: Coordinate
    public private(set) var job: Job?
    let stops: [PlannedStop]
    let shifts: [ShiftInstance]
    let directory: SiteDirectory
    let travel: TravelTimeModel
    var nextStop = 0
    var pendingReplies: [PendingReply] = []
    var nextPosition: Timestamp?
    let positionInterval: Milliseconds
    let drivesRoute: Bool
    var rng: SplitMix64
    var lastTime: Timestamp?
    /// Readable notes of what happened (for the night log).
    public internal(set) var notes: [String] = []
    /// The requests (id and revision) already received: a request published twice (by the
    /// old and the new active daemon of a pair at a takeover) is answered once.
    var received: Set<String> = []

    public init(
        unit: UnitID, policy: AnswerPolicy, plan: NightPlan, directory: SiteDirectory, seed: SplitMix64,
        drivesRoute: Bool = true, positionInterval: Milliseconds = .seconds(60)
    ) {
        self.unit = unit
        self.policy = policy
        self.directory = directory
        self.travel = directory.configuration.patrol.travel
        self.stops = drivesRoute ? (plan.route(of: unit)?.stops ?? []) : []
        self.shifts = plan.shifts.filter { $0.unit == unit }.sorted { $0.start < $1.start }
        let home = plan.route(of: unit)?.stops.first.flatMap { directory.site($0.site)?.location }
            ?? directory.configuration.sites.first?.location ?? Coordinate(latitude: 59.5, longitude: 17.7)
        self.position = home
        self.drivesRoute = drivesRoute
        self.positionInterval = positionInterval
        self.rng = seed
    }

    func onShift(_ t: Timestamp) -> Bool { shifts.contains { $0.contains(t) } }

    /// The next instant at which the car does something other than report its position.
    public var nextDeadline: Timestamp? {
        var best: [Timestamp] = pendingReplies.map(\.at)
        switch activity {
        case .driving(let leg): best.append(leg.arrive)
        case .waiting(_, let until), .atStop(_, let until), .atIncident(_, let until): best.append(until)
        case .offShift:
            let after = lastTime
            if let next = shifts.first(where: { s in after.map { s.end > $0 } ?? true }) {
                best.append(after.map { max(next.start, $0) } ?? next.start)
            }
        case .idle: break
        }
        if case .offShift = activity {} else if let end = shifts.first(where: { s in lastTime.map { s.contains($0) } ?? false })?.end {
            best.append(end)
        }
        return best.min()
    }

    /// A guard request arrived at `now`: the answer is scheduled by the policy.
    public mutating func receive(_ request: GuardRequest, now: Timestamp) {
        guard request.unit == unit else { return }
        guard received.insert("\(request.requestID)#\(request.revision)").inserted else {
            notes.append("\(unit) already has \(request.requestID) revision \(request.revision): duplicate ignored")
            return
        }
        // An update of a request already held: the answer already scheduled (or given) stands.
        guard request.revision == 1 else { return }
        let at = now + policy.delay
        if job != nil {
            pendingReplies.append(PendingReply(at: at, request: request, kind: .declined))
            notes.append("\(unit) busy with \(job!.incident): will decline \(request.requestID)")
            return
        }
        switch policy.answer {
        case .accept: pendingReplies.append(PendingReply(at: at, request: request, kind: .accepted))
        case .decline: pendingReplies.append(PendingReply(at: at, request: request, kind: .declined))
        case .ignore: notes.append("\(unit) ignores \(request.requestID)")
        }
    }

    /// Moves the car to `now`, returning what it sends (stamped `stamp`).
    public mutating func advance(to now: Timestamp, stamp: Timestamp) -> [InboundMessage] {
        var out: [InboundMessage] = []
        // Handle every transition due, in time order, so a long step does not skip any.
        var guardCount = 0
        while let due = nextDeadline, due <= now, guardCount < 1000 {
            guardCount += 1
            lastTime = due
            step(at: due, stamp: stamp, into: &out)
        }
        lastTime = now
        if onShift(now), nextPosition.map({ $0 <= now }) ?? true {
            nextPosition = now + positionInterval
            out.append(.position(UnitPosition(unit: unit, position: location(at: now), speed: speed, time: stamp)))
        }
        return out
    }

    var speed: Double {
        if case .driving = activity { return travel.averageSpeed / 3.6 }
        return 0
    }

    func location(at t: Timestamp) -> Coordinate {
        guard case .driving(let leg) = activity else { return position }
        let total = Double((leg.arrive - leg.depart).value)
        let f = total <= 0 ? 1 : min(1, max(0, Double((t - leg.depart).value) / total))
        return Coordinate(
            latitude: leg.from.latitude + (leg.to.latitude - leg.from.latitude) * f,
            longitude: leg.from.longitude + (leg.to.longitude - leg.from.longitude) * f)
    }

    private mutating func step(at t: Timestamp, stamp: Timestamp, into out: inout [InboundMessage]) {
        // Replies first: they may start a drive.
        if let i = pendingReplies.indices.min(by: { pendingReplies[$0].at < pendingReplies[$1].at }), pendingReplies[i].at <= t {
            let reply = pendingReplies.remove(at: i)
            answer(reply, at: t, stamp: stamp, into: &out)
            return
        }
        let inShift = onShift(t)
        switch activity {
        case .offShift:
            guard inShift else { return }
            out.append(.unitStatus(UnitStatusReport(unit: unit, state: .available, time: stamp)))
            notes.append("\(unit) on duty")
            activity = .idle
            nextPosition = nil
            continueRoute(at: t, into: &out, stamp: stamp)
            return
        default:
            break
        }
        if !inShift, job == nil {
            if case .atStop(let s, _) = activity { checkOut(stops[s].site, stamp: stamp, into: &out) }
            position = location(at: t)
            activity = .offShift
            out.append(.unitStatus(UnitStatusReport(unit: unit, state: .offDuty, time: stamp)))
            notes.append("\(unit) off duty")
            return
        }
        switch activity {
        case .driving(let leg) where leg.arrive <= t:
            position = leg.to
            switch leg.target {
            case .stop(let s):
                let stop = stops[s]
                if t < stop.windowStart {
                    activity = .waiting(stop: s, until: stop.windowStart)
                } else {
                    checkIn(s, at: t, stamp: stamp, into: &out)
                }
            case .incident(let job):
                out.append(.reply(GuardReply(unit: unit, incident: job.incident, request: job.request, kind: .arrived, time: stamp)))
                out.append(.unitStatus(UnitStatusReport(unit: unit, state: .onSite, time: stamp)))
                notes.append("\(unit) arrived at \(job.site) for \(job.incident)")
                activity = .atIncident(job, until: t + policy.onSite)
            }
        case .waiting(let s, let until) where until <= t:
            checkIn(s, at: t, stamp: stamp, into: &out)
        case .atStop(let s, let until) where until <= t:
            checkOut(stops[s].site, stamp: stamp, into: &out)
            nextStop = s + 1
            activity = .idle
            continueRoute(at: t, into: &out, stamp: stamp)
        case .atIncident(let job, let until) where until <= t:
            out.append(.reply(GuardReply(
                unit: unit, incident: job.incident, request: job.request, kind: .cleared, outcome: policy.outcome,
                note: "Simulated: \(policy.outcome.rawValue).", time: stamp)))
            out.append(.unitStatus(UnitStatusReport(unit: unit, state: .available, time: stamp)))
            notes.append("\(unit) cleared \(job.incident) (\(policy.outcome.rawValue))")
            self.job = nil
            activity = .idle
            continueRoute(at: t, into: &out, stamp: stamp)
        default:
            // A shift end while on a job: finish the job first.
            break
        }
    }

    private mutating func answer(_ reply: PendingReply, at t: Timestamp, stamp: Timestamp, into out: inout [InboundMessage]) {
        let r = reply.request
        out.append(.reply(GuardReply(unit: unit, incident: r.incident, request: r.requestID, kind: reply.kind, time: stamp)))
        notes.append("\(unit) \(reply.kind.rawValue) \(r.requestID) (\(r.priority.name) at \(r.site))")
        guard reply.kind == .accepted, job == nil else { return }
        if case .atStop(let s, _) = activity {
            checkOut(stops[s].site, stamp: stamp, into: &out)
            nextStop = s + 1
        }
        let newJob = Job(incident: r.incident, request: r.requestID, site: r.site)
        job = newJob
        out.append(.unitStatus(UnitStatusReport(unit: unit, state: .enRoute, time: stamp)))
        drive(to: directory.site(r.site)?.location ?? position, target: .incident(newJob), at: t)
    }

    private mutating func continueRoute(at t: Timestamp, into out: inout [InboundMessage], stamp: Timestamp) {
        // Skip stops whose window closed more than an hour ago (they are missed anyway).
        while nextStop < stops.count, stops[nextStop].windowEnd + .hours(1) < t { nextStop += 1 }
        guard nextStop < stops.count, let site = directory.site(stops[nextStop].site) else {
            activity = .idle
            return
        }
        drive(to: site.location, target: .stop(nextStop), at: t)
    }

    private mutating func drive(to destination: Coordinate, target: Target, at t: Timestamp) {
        let from = location(at: t)
        // ±10 % on the model's time: traffic, lights, the driver.
        let base = travel.travelTime(from: from, to: destination).value
        let jitter = Double(rng.next() % 2001) / 10_000 - 0.1
        let duration = Milliseconds(Int64((Double(base) * (1 + jitter)).rounded()))
        position = from
        activity = .driving(Leg(from: from, to: destination, depart: t, arrive: t + duration, target: target))
    }

    private mutating func checkIn(_ s: Int, at t: Timestamp, stamp: Timestamp, into out: inout [InboundMessage]) {
        let stop = stops[s]
        out.append(.checkIn(CheckIn(unit: unit, site: stop.site, method: .tag, present: true, time: stamp)))
        notes.append("\(unit) checked in at \(stop.site)")
        let extra = Milliseconds(Int64(rng.next() % 120_001))
        activity = .atStop(stop: s, until: t + stop.dwell + extra)
    }

    private mutating func checkOut(_ site: SiteID, stamp: Timestamp, into out: inout [InboundMessage]) {
        out.append(.checkIn(CheckIn(unit: unit, site: site, method: .tag, present: false, time: stamp)))
        notes.append("\(unit) checked out at \(site)")
    }
}
