/// Positions, check-ins and the stops they satisfy; operators' directed checks.
extension DispatchCoordinator {
    /// The configured site whose geofence contains `point` (the nearest, when several do).
    func site(containing point: Coordinate) -> SiteID? {
        var best: (site: SiteID, distance: Double)?
        for site in directory.configuration.sites {
            let d = TravelTimeModel.distanceMeters(point, site.location)
            if d <= policy.geofenceRadiusMeters, best.map({ d < $0.distance }) ?? true { best = (site.id, d) }
        }
        return best?.site
    }

    mutating func position(_ p: UnitPosition, now: Timestamp, into actions: inout [DispatchAction]) {
        guard var track = units[p.unit] else { return }
        if let last = track.positionTime, p.time <= last { return }  // stale or replayed
        track.position = p.position
        track.positionTime = p.time
        let inside = site(containing: p.position)
        track.atSite = inside
        if let inside {
            if track.geofence?.site != inside { track.geofence = UnitTrack.Geofence(site: inside, since: p.time) }
        } else {
            track.geofence = nil
        }
        units[p.unit] = track
        patrolDeadlineIsCurrent = false
        creditStay(of: p.unit, until: p.time, into: &actions)
    }

    /// Whether a stay in a geofence since `since` can count for `stop`, and from when.
    func stayCounts(from since: Timestamp, for stop: PlannedStop) -> Timestamp? {
        guard stop.status == .pending || stop.status == .missed else { return nil }
        return max(since, stop.windowStart - policy.earlyVisitTolerance)
    }

    /// When the unit's current geofence stay will first satisfy one of its open stops there.
    func stayDue(of unit: UnitID) -> Timestamp? {
        guard let g = units[unit]?.geofence, !g.credited, let r = routeIndex(of: unit) else { return nil }
        return routes[r].stops.lazy
            .filter { $0.site == g.site }
            .compactMap { self.stayCounts(from: g.since, for: $0) }
            .min()
            .map { $0 + policy.minimumGeofenceDwell }
    }

    /// Credits the unit's geofence stay (inside until `until`) to its first open stop at that
    /// site it has dwelt long enough for; a stay counts for one stop.
    mutating func creditStay(of unit: UnitID, until: Timestamp, into actions: inout [DispatchAction]) {
        guard let g = units[unit]?.geofence, !g.credited, let r = routeIndex(of: unit) else { return }
        for i in routes[r].stops.indices where routes[r].stops[i].site == g.site {
            guard let from = stayCounts(from: g.since, for: routes[r].stops[i]),
                until - from >= policy.minimumGeofenceDwell
            else { continue }
            units[unit]?.geofence?.credited = true
            patrolDeadlineIsCurrent = false
            markVisited(unit, route: r, stop: i, at: from, into: &actions)
            return
        }
    }

    /// Credits stays whose dwell completed without a further position report.
    mutating func creditGeofenceDwell(now: Timestamp, into actions: inout [DispatchAction]) {
        for unit in unitIDs { creditStay(of: unit, until: now, into: &actions) }
    }

    mutating func checkIn(_ c: CheckIn, now: Timestamp, into actions: inout [DispatchAction]) {
        guard units[c.unit] != nil else { return }
        if c.present {
            units[c.unit]?.atSite = c.site
            if let location = directory.site(c.site)?.location, units[c.unit]?.positionTime.map({ $0 < c.time }) ?? true {
                units[c.unit]?.position = location
                units[c.unit]?.positionTime = c.time
            }
            visit(c.unit, c.site, at: c.time, into: &actions)
        } else if units[c.unit]?.atSite == c.site {
            units[c.unit]?.atSite = nil
        }
    }

    /// Marks the unit's first open stop at `site` visited, if the visit can count for one.
    mutating func visit(_ unit: UnitID, _ site: SiteID, at time: Timestamp, into actions: inout [DispatchAction]) {
        guard let r = routeIndex(of: unit),
            let i = routes[r].stops.firstIndex(where: {
                $0.site == site && ($0.status == .pending || $0.status == .missed)
                    && $0.windowStart - policy.earlyVisitTolerance <= time
            })
        else { return }
        markVisited(unit, route: r, stop: i, at: time, into: &actions)
    }

    /// Done when within the window (or a little early), late after it.
    mutating func markVisited(_ unit: UnitID, route r: Int, stop i: Int, at time: Timestamp, into actions: inout [DispatchAction]) {
        var stop = routes[r].stops[i]
        stop.visitedAt = time
        if time <= stop.windowEnd {
            stop.status = .done
        } else {
            stop.status = .late
            actions.append(.warning(site: stop.site, code: "late-stop",
                message: "\(unit) visited \(siteName(stop.site)) at \(Self.clock(time)), \(Self.duration(time - stop.windowEnd)) after its window (\(Self.clock(stop.windowStart))–\(Self.clock(stop.windowEnd)))"))
        }
        routes[r].stops[i] = stop
        var why = "\(stop.id) \(stop.status.rawValue)"
        // The visit also settles a revisit proposed for this stop (or the stop a revisit was for).
        for j in routes[r].stops.indices where j != i {
            let other = routes[r].stops[j]
            if other.revisitOf == stop.id, other.status == .pending {
                routes[r].stops[j].status = .done
            } else if stop.revisitOf == other.id, other.status == .missed {
                routes[r].stops[j].status = .late
            } else {
                continue
            }
            routes[r].stops[j].visitedAt = time
            why += "; \(other.id) \(routes[r].stops[j].status.rawValue)"
        }
        planChanged(unit, why)
    }

    mutating func expireStopWindows(now: Timestamp, into actions: inout [DispatchAction]) {
        var missed: [(UnitID, PlannedStop)] = []
        for r in routes.indices {
            for i in routes[r].stops.indices where routes[r].stops[i].status == .pending && routes[r].stops[i].windowEnd <= now {
                routes[r].stops[i].status = .missed
                let stop = routes[r].stops[i]
                actions.append(.warning(site: stop.site, code: "missed-stop",
                    message: "\(routes[r].unit) missed \(siteName(stop.site)) (\(stop.id), window \(Self.clock(stop.windowStart))–\(Self.clock(stop.windowEnd)))"))
                planChanged(routes[r].unit, "\(stop.id) missed")
                missed.append((routes[r].unit, stop))
            }
        }
        for (unit, stop) in missed { proposeRevisit(of: stop, by: unit, now: now, into: &actions) }
    }

    /// A missed planned visit: the rest of the route is re-planned with a revisit of the site
    /// inserted where it delays the other stops least, before the unit's shift ends. Proposed:
    /// the car sees it in its plan, the operators in a `replan-proposed` warning. A missed
    /// revisit or directed check is not proposed again.
    mutating func proposeRevisit(of stop: PlannedStop, by unit: UnitID, now: Timestamp, into actions: inout [DispatchAction]) {
        guard stop.revisitOf == nil, stop.directed == nil, let r = routeIndex(of: unit),
            let end = shiftEnd(of: unit, at: now), let site = directory.site(stop.site), let origin = location(of: unit)
        else { return }
        let visit = RoutePlanner.Stop(location: site.location, notBefore: now, dwell: stop.dwell)
        let remaining = remainingStops(of: unit)
        let options = planner.insertions(of: visit, into: plannerStops(remaining), from: origin, at: now)
            .filter { $0.arrival + stop.dwell <= end }
        guard let best = options.min(by: { ($0.totalDelay, $0.addedFinish, $0.position) < ($1.totalDelay, $1.addedFinish, $1.position) }) else {
            actions.append(.warning(site: stop.site, code: "replan-impossible",
                message: "\(unit) missed \(site.name) (\(stop.id)) and cannot revisit it before its shift ends at \(Self.clock(end))"))
            return
        }
        revisitCount += 1
        let revisit = PlannedStop(
            id: "revisit-\(revisitCount)", site: stop.site, windowStart: now, windowEnd: end, dwell: stop.dwell, revisitOf: stop.id)
        let pendingIndices = routes[r].stops.indices.filter { routes[r].stops[$0].status == .pending }
        let at = best.position < pendingIndices.count ? pendingIndices[best.position] : routes[r].stops.count
        routes[r].stops.insert(revisit, at: at)
        let after = best.position == 0 ? "first" : "after \(siteName(remaining[best.position - 1].site))"
        var message = "\(unit) missed \(site.name) (\(stop.id)); revisit proposed \(after) as \(revisit.id), planned arrival \(Self.clock(best.arrival))"
        if best.totalDelay.value > 0 { message += ", delaying its other stops by \(Self.duration(best.totalDelay)) in total" }
        actions.append(.warning(site: stop.site, code: "replan-proposed", message: message))
        planChanged(unit, "\(stop.id) missed; \(revisit.id) proposed")
    }

    /// Notes that `unit`'s plan changed; it is published at the end of the call.
    mutating func planChanged(_ unit: UnitID, _ why: String) {
        planChanges[unit, default: []].append(why)
    }

    /// Publishes the plan of every unit whose plan changed, in unit order.
    mutating func publishPlans(now: Timestamp, into actions: inout [DispatchAction]) {
        guard !planChanges.isEmpty, let night else { return }
        for unit in planChanges.keys.sorted() {
            guard let r = routeIndex(of: unit) else { continue }
            let version = planVersions[unit, default: 0] + 1
            planVersions[unit] = version
            var names: [SiteID: String] = [:]
            for stop in routes[r].stops { names[stop.site] = siteName(stop.site) }
            actions.append(.publishPlan(UnitPlan(
                unit: unit, night: night, version: version, stops: routes[r].stops, siteNames: names,
                reason: planChanges[unit]!.joined(separator: "; "), time: now)))
        }
        planChanges.removeAll()
    }

    func siteName(_ id: SiteID) -> String { directory.site(id)?.name ?? id.rawValue }

    // MARK: - Directed checks

    /// Adds a check of a site to the route of the on-shift unit whose remaining stops it delays
    /// least (then: whose route end it pushes back least, then by unit id).
    @discardableResult
    mutating func directedCheck(_ key: DirectedKey, now: Timestamp, into actions: inout [DispatchAction]) -> (unit: UnitID, stop: String)? {
        guard let site = directory.site(key.site) else {
            actions.append(.warning(site: key.site, code: "unknown-site", message: "directed check of unknown site \(key.site) by \(key.by)"))
            return nil
        }
        guard directedKeys.insert(key).inserted else { return nil }
        let start = max(now, key.notBefore ?? now)
        typealias Option = (unit: UnitID, insertion: RoutePlanner.Insertion, end: Timestamp)
        var best: Option?
        func better(_ a: Option, than b: Option) -> Bool {
            (a.insertion.totalDelay, a.insertion.addedFinish, a.unit) < (b.insertion.totalDelay, b.insertion.addedFinish, b.unit)
        }
        for unit in unitIDs where units[unit]?.reported != .offDuty {
            guard let end = shiftEnd(of: unit, at: now), start < end, let origin = location(of: unit) else { continue }
            let visit = RoutePlanner.Stop(location: site.location, notBefore: start, dwell: policy.directedDwell)
            let options = planner.insertions(of: visit, into: plannerStops(remainingStops(of: unit)), from: origin, at: now)
            guard let mine = options.min(by: { ($0.totalDelay, $0.addedFinish, $0.position) < ($1.totalDelay, $1.addedFinish, $1.position) }) else { continue }
            let option = (unit, mine, end)
            if best.map({ better(option, than: $0) }) ?? true { best = option }
        }
        guard let best else {
            actions.append(.warning(site: site.id, code: "nobody-available",
                message: "no unit on shift for the directed check of \(site.name) asked by \(key.by)"))
            return nil
        }
        directedCount += 1
        let stop = PlannedStop(
            id: "directed-\(directedCount)", site: site.id, windowStart: start, windowEnd: best.end,
            dwell: policy.directedDwell, directed: DirectedCheck(by: key.by, reason: key.reason, requestedAt: now))
        let r: Int
        if let existing = routeIndex(of: best.unit) {
            r = existing
        } else {
            routes.append(PlannedRoute(id: "directed-\(best.unit)", unit: best.unit, stops: []))
            r = routes.count - 1
        }
        let pendingIndices = routes[r].stops.indices.filter { routes[r].stops[$0].status == .pending }
        let at = best.insertion.position < pendingIndices.count ? pendingIndices[best.insertion.position] : routes[r].stops.count
        routes[r].stops.insert(stop, at: at)
        planChanged(best.unit, "\(stop.id) added")
        var message = "\(site.name) added to \(best.unit)'s route as \(stop.id) (asked by \(key.by): \(key.reason)); planned arrival \(Self.clock(best.insertion.arrival))"
        if best.insertion.totalDelay.value > 0 { message += ", delays its other stops by \(Self.duration(best.insertion.totalDelay)) in total" }
        actions.append(.warning(site: site.id, code: "directed-check", message: message))
        return (best.unit, stop.id)
    }

    /// A check a rule asked for about `incident` (one per incident); `check-withdrawn` when
    /// the incident ends (`ended`). An incident already ended gets none.
    mutating func incidentCheck(site: SiteID, incident: IncidentID, reason: String, now: Timestamp, into actions: inout [DispatchAction]) {
        guard incidentChecks[incident] == nil, endedUnknown[incident] == nil, incidents[incident].map({ !$0.ended }) ?? true else { return }
        let key = DirectedKey(site: site, notBefore: nil, by: "policy", reason: "\(incident): \(reason)")
        guard let check = directedCheck(key, now: now, into: &actions) else { return }
        incidentChecks[incident] = CheckRef(unit: check.unit, stop: check.stop)
    }

    /// Takes a directed check that is moot off its unit's route (if not yet visited), and
    /// tells the car (its plan is published again) and the operators (`check-withdrawn`).
    mutating func withdrawCheck(_ check: (unit: UnitID, stop: String), because why: String, into actions: inout [DispatchAction]) {
        guard let r = routeIndex(of: check.unit),
            let i = routes[r].stops.firstIndex(where: { $0.id == check.stop && $0.status == .pending })
        else { return }
        let stop = routes[r].stops.remove(at: i)
        actions.append(.warning(site: stop.site, code: "check-withdrawn",
            message: "\(check.unit): the check of \(siteName(stop.site)) (\(stop.id)) is withdrawn: \(why)"))
        planChanged(check.unit, "\(stop.id) withdrawn: \(why)")
    }
}
