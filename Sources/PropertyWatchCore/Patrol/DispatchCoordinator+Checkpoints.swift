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

    mutating func position(_ p: UnitPosition, now: Timestamp, into actions: inout [WatchAction]) {
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
    mutating func creditStay(of unit: UnitID, until: Timestamp, into actions: inout [WatchAction]) {
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
    mutating func creditGeofenceDwell(now: Timestamp, into actions: inout [WatchAction]) {
        for unit in unitIDs { creditStay(of: unit, until: now, into: &actions) }
    }

    mutating func checkIn(_ c: CheckIn, now: Timestamp, into actions: inout [WatchAction]) {
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
    mutating func visit(_ unit: UnitID, _ site: SiteID, at time: Timestamp, into actions: inout [WatchAction]) {
        guard let r = routeIndex(of: unit),
            let i = routes[r].stops.firstIndex(where: {
                $0.site == site && ($0.status == .pending || $0.status == .missed)
                    && $0.windowStart - policy.earlyVisitTolerance <= time
            })
        else { return }
        markVisited(unit, route: r, stop: i, at: time, into: &actions)
    }

    /// Done when within the window (or a little early), late after it.
    mutating func markVisited(_ unit: UnitID, route r: Int, stop i: Int, at time: Timestamp, into actions: inout [WatchAction]) {
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
    }

    mutating func expireStopWindows(now: Timestamp, into actions: inout [WatchAction]) {
        for r in routes.indices {
            for i in routes[r].stops.indices where routes[r].stops[i].status == .pending && routes[r].stops[i].windowEnd <= now {
                routes[r].stops[i].status = .missed
                let stop = routes[r].stops[i]
                actions.append(.warning(site: stop.site, code: "missed-stop",
                    message: "\(routes[r].unit) missed \(siteName(stop.site)) (\(stop.id), window \(Self.clock(stop.windowStart))–\(Self.clock(stop.windowEnd)))"))
            }
        }
    }

    func siteName(_ id: SiteID) -> String { directory.site(id)?.name ?? id.rawValue }

    // MARK: - Directed checks

    /// Adds a check of a site to the route of the on-shift unit whose remaining stops it delays
    /// least (then: whose route end it pushes back least, then by unit id).
    mutating func directedCheck(_ key: DirectedKey, now: Timestamp, into actions: inout [WatchAction]) {
        guard let site = directory.site(key.site) else {
            actions.append(.warning(site: key.site, code: "unknown-site", message: "directed check of unknown site \(key.site) by \(key.by)"))
            return
        }
        guard directedKeys.insert(key).inserted else { return }
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
            return
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
        var message = "\(site.name) added to \(best.unit)'s route as \(stop.id) (asked by \(key.by): \(key.reason)); planned arrival \(Self.clock(best.insertion.arrival))"
        if best.insertion.totalDelay.value > 0 { message += ", delays its other stops by \(Self.duration(best.insertion.totalDelay)) in total" }
        actions.append(.warning(site: site.id, code: "directed-check", message: message))
    }
}
