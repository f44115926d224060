/// The mutable part of a `Watch`: everything its inputs changed, nothing its configuration
/// decides. Restoring it into a `Watch` built from the same configuration gives a `Watch` that
/// behaves exactly as the one it was taken from (see `WatchSnapshot`).
///
/// The configuration-derived parts (`SiteDirectory`, policies, schedules, the engine's lookup
/// tables, the coordinator's calendar and route planner) are rebuilt by `Watch.init`.
struct WatchState: Codable, Sendable {
    var correlation: CorrelationState
    var timers: TimerQueue
    var dispatch: DispatchState
    var dispatchDeadline: Timestamp?
    var numbering: TransitionNumbering
}

/// The mutable part of a `DispatchCoordinator`.
struct DispatchState: Codable, Sendable {
    var night: LocalDate?
    var shifts: [ShiftInstance]
    var routes: [PlannedRoute]
    @SnapshotOrdered var units: [UnitID: UnitTrack]
    @SnapshotOrdered var incidents: [IncidentID: IncidentDispatch]
    @SnapshotOrdered var endedUnknown: [IncidentID: Timestamp]
    @SnapshotOrdered var directedKeys: Set<DispatchCoordinator.DirectedKey>
    @SnapshotOrdered var incidentChecks: [IncidentID: DispatchCoordinator.CheckRef]
    var queue: [IncidentID]
    @SnapshotOrdered var planChanges: [UnitID: [String]]
    @SnapshotOrdered var planVersions: [UnitID: Int]
    var revisitCount: Int
    var directedCount: Int
    var lastNow: Timestamp?
    @SnapshotOrdered var responseTimes: [IncidentID: Milliseconds]
    var deadlines: DeadlineHeap<IncidentDeadline>
    var patrolDeadline: Timestamp?
    var patrolDeadlineIsCurrent: Bool
}

extension Watch {
    /// Its mutable state, for a snapshot.
    var state: WatchState {
        WatchState(
            correlation: correlation.state, timers: correlation.timers, dispatch: dispatch.state,
            dispatchDeadline: dispatchDeadline, numbering: numbering)
    }

    /// Takes `state` as its own. The caller has checked that it was taken under the same
    /// configuration; the sizes of the slot-indexed arrays are checked again here, so a
    /// mismatch is an error, never an out-of-range index later.
    mutating func restore(_ state: WatchState) throws(WatchSnapshot.Unusable) {
        let expected = correlation.state
        let restored = state.correlation
        guard restored.sites.count == expected.sites.count, restored.live.count == expected.live.count,
              restored.devices.count == expected.devices.count, restored.flaps.count == expected.flaps.count,
              zip(restored.sites, expected.sites).allSatisfy({ $0.partitions.count == $1.partitions.count })
        else { throw .configurationChanged("the state's sites, devices or zones do not match the configuration") }
        correlation.state = state.correlation
        correlation.timers = state.timers
        dispatch.restore(state.dispatch)
        dispatchDeadline = state.dispatchDeadline
        numbering = state.numbering
    }
}

extension DispatchCoordinator {
    var state: DispatchState {
        DispatchState(
            night: night, shifts: shifts, routes: routes, units: units, incidents: incidents,
            endedUnknown: endedUnknown, directedKeys: directedKeys, incidentChecks: incidentChecks, queue: queue, planChanges: planChanges,
            planVersions: planVersions, revisitCount: revisitCount, directedCount: directedCount, lastNow: lastNow,
            responseTimes: responseTimes, deadlines: deadlines, patrolDeadline: patrolDeadline,
            patrolDeadlineIsCurrent: patrolDeadlineIsCurrent)
    }

    mutating func restore(_ s: DispatchState) {
        night = s.night
        shifts = s.shifts
        routes = s.routes
        units = s.units
        incidents = s.incidents
        endedUnknown = s.endedUnknown
        directedKeys = s.directedKeys
        incidentChecks = s.incidentChecks
        queue = s.queue
        planChanges = s.planChanges
        planVersions = s.planVersions
        revisitCount = s.revisitCount
        directedCount = s.directedCount
        lastNow = s.lastNow
        responseTimes = s.responseTimes
        deadlines = s.deadlines
        patrolDeadline = s.patrolDeadline
        // Last: setting `routes` clears it.
        patrolDeadlineIsCurrent = s.patrolDeadlineIsCurrent
    }
}

extension DispatchCoordinator.DirectedKey: Comparable {
    static func < (a: Self, b: Self) -> Bool {
        (a.site, a.notBefore?.millisecondsSinceEpoch ?? .min, a.by, a.reason)
            < (b.site, b.notBefore?.millisecondsSinceEpoch ?? .min, b.by, b.reason)
    }
}

extension IncidentDispatch: Codable {
    private enum CodingKeys: String, CodingKey {
        case incident, attempts, asked, pending, assigned, sent, progress, times, central, onCallDue
        case onCallNotified, escalated, checkUnit, checkStop, queued, stoodDown, endedAt
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(incident: try c.decode(Incident.self, forKey: .incident))
        attempts = try c.decode(Int.self, forKey: .attempts)
        asked = try c.decode(SnapshotOrdered<[UnitID: String]>.self, forKey: .asked).wrappedValue
        pending = try c.decodeIfPresent(Pending.self, forKey: .pending)
        assigned = try c.decodeIfPresent(UnitID.self, forKey: .assigned)
        sent = try c.decodeIfPresent(GuardRequest.self, forKey: .sent)
        progress = try c.decodeIfPresent(Progress.self, forKey: .progress)
        times = try c.decode(IncidentTimes.self, forKey: .times)
        central = try c.decodeIfPresent(Central.self, forKey: .central)
        onCallDue = try c.decodeIfPresent(Timestamp.self, forKey: .onCallDue)
        onCallNotified = try c.decode(Bool.self, forKey: .onCallNotified)
        escalated = try c.decode(Bool.self, forKey: .escalated)
        if let unit = try c.decodeIfPresent(UnitID.self, forKey: .checkUnit) {
            check = (unit, try c.decode(String.self, forKey: .checkStop))
        }
        queued = try c.decode(Bool.self, forKey: .queued)
        stoodDown = try c.decode(SnapshotOrdered<Set<UnitID>>.self, forKey: .stoodDown).wrappedValue
        endedAt = try c.decodeIfPresent(Timestamp.self, forKey: .endedAt)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(incident, forKey: .incident)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(SnapshotOrdered(wrappedValue: asked), forKey: .asked)
        try c.encodeIfPresent(pending, forKey: .pending)
        try c.encodeIfPresent(assigned, forKey: .assigned)
        try c.encodeIfPresent(sent, forKey: .sent)
        try c.encodeIfPresent(progress, forKey: .progress)
        try c.encode(times, forKey: .times)
        try c.encodeIfPresent(central, forKey: .central)
        try c.encodeIfPresent(onCallDue, forKey: .onCallDue)
        try c.encode(onCallNotified, forKey: .onCallNotified)
        try c.encode(escalated, forKey: .escalated)
        try c.encodeIfPresent(check?.unit, forKey: .checkUnit)
        try c.encodeIfPresent(check?.stop, forKey: .checkStop)
        try c.encode(queued, forKey: .queued)
        try c.encode(SnapshotOrdered(wrappedValue: stoodDown), forKey: .stoodDown)
        try c.encodeIfPresent(endedAt, forKey: .endedAt)
    }
}
