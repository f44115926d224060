/// `nextDeadline` without scanning every incident: incident timers sit in a heap, the patrol's
/// (stop windows, geofence dwell) in a value recomputed only when routes or stays change.
extension DispatchCoordinator {
    /// The earliest instant at which `tick` has something to do.
    public var nextDeadline: Timestamp? {
        let patrol = patrolDeadlineIsCurrent ? patrolDeadline : scanPatrolDeadline()
        switch (deadlines.first?.at, patrol) {
        case (let a?, let b?): return min(a, b)
        case (let a, let b): return a ?? b
        }
    }

    /// Whether `entry` is still one of the incident's timers.
    func isCurrent(_ entry: IncidentDeadline) -> Bool {
        guard let d = incidents[entry.incident], !d.ended else { return false }
        switch entry.kind {
        case .acknowledgement: return d.pending?.deadline == entry.at
        case .centralRetry: return d.central?.nextRetry == entry.at
        case .centralTimeout: return d.onCallDue == entry.at
        }
    }

    mutating func schedule(_ kind: IncidentDeadline.Kind, of incident: IncidentID, at time: Timestamp) {
        deadlines.push(IncidentDeadline(at: time, kind: kind, incident: incident))
    }

    /// Takes the current incident timers due at `now` off the heap: the incidents, each once and
    /// in id order, whose acknowledgement timeout and whose central retry are due.
    mutating func takeDue(now: Timestamp) -> (
        entries: [IncidentDeadline], acknowledgements: [IncidentID], retries: [IncidentID], centralTimeouts: [IncidentID]
    ) {
        var entries: [IncidentDeadline] = []
        while let first = deadlines.first, first.at <= now {
            deadlines.pop()
            if isCurrent(first) { entries.append(first) }
        }
        func ids(_ kind: IncidentDeadline.Kind) -> [IncidentID] {
            Array(Set(entries.lazy.filter { $0.kind == kind }.map(\.incident))).sorted()
        }
        return (entries, ids(.acknowledgement), ids(.centralRetry), ids(.centralTimeout))
    }

    /// Restores `nextDeadline`'s invariants after a public call: the heap's first entry is
    /// current, and the patrol deadline is up to date.
    mutating func settleDeadlines() {
        while let first = deadlines.first, !isCurrent(first) { deadlines.pop() }
        if !patrolDeadlineIsCurrent {
            patrolDeadline = scanPatrolDeadline()
            patrolDeadlineIsCurrent = true
        }
    }

    /// The earliest end of a pending stop window or completion of a geofence dwell.
    func scanPatrolDeadline() -> Timestamp? {
        var best: Timestamp?
        func consider(_ t: Timestamp?) {
            if let t, best.map({ t < $0 }) ?? true { best = t }
        }
        for route in routes {
            for stop in route.stops where stop.status == .pending { consider(stop.windowEnd) }
        }
        for unit in unitIDs { consider(stayDue(of: unit)) }
        return best
    }
}
