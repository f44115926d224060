import PropertyWatchCore

extension NightReport {
    /// Builds the report of `night` from its records, as of `asOf` (stops not yet due are
    /// `planned`). Pure: the same records give the same report.
    public static func make(records: NightRecords, configuration: WatchConfiguration, night: Night, asOf: Int64) -> NightReport {
        let names = Dictionary(configuration.sites.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
        func name(_ site: String) -> String { names[site] ?? site }
        let inNight = { (t: Int64) in night.contains(t) && t <= asOf }

        let transitions = records.transitions.filter { inNight($0.time) }
        let requests = records.guardRequests.filter { inNight($0.time) }
        let replies = records.unitMessages.filter { $0.kind == "reply" && inNight($0.time) }

        // Incidents opened tonight, in order.
        var order: [String] = []
        var byIncident: [String: [NightRecords.Transition]] = [:]
        for t in transitions {
            if byIncident[t.incident] == nil { order.append(t.incident) }
            byIncident[t.incident, default: []].append(t)
        }
        let incidents: [IncidentSummary] = order.compactMap { id in
            guard let steps = byIncident[id], let first = steps.first else { return nil }
            let last = steps[steps.count - 1]
            let opened = steps.first(where: { $0.from == nil })?.time ?? first.time
            let own = requests.filter { $0.incident == id }
            let firstDispatch = own.map(\.time).min()
            let accepted = steps.first(where: { $0.to == "acknowledged" })?.time
            let onSite = steps.first(where: { $0.to == "on-site" })?.time
            let closed = steps.last(where: { ["closed", "cleared", "attributed"].contains($0.to) })?.time
            var units: [String] = []
            for r in own where !units.contains(r.unit) { units.append(r.unit) }
            return IncidentSummary(
                id: id, site: first.site, siteName: name(first.site), priority: last.priority, state: last.to,
                verification: own.last?.verification, openedAt: opened, firstDispatchAt: firstDispatch,
                acceptedAt: accepted, onSiteAt: onSite, closedAt: closed,
                dispatchMs: firstDispatch.map { $0 - opened }, responseMs: onSite.map { $0 - opened },
                units: units, lastCause: last.cause)
        }
        .sorted { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }

        let dispatches = requests.map { r in
            let answer = replies.first(where: { $0.incident == r.incident && $0.unit == r.unit && $0.time >= r.time })?.state ?? "none"
            return Dispatch(incident: r.incident, unit: r.unit, siteName: name(r.site), attempt: r.attempt, time: r.time, answer: answer)
        }

        let checkIns = records.unitMessages.filter { $0.kind == "checkin" && inNight($0.time) }
        let warnings = records.warnings.filter { inNight($0.time) }
        let visits = Self.visits(
            configuration: configuration, night: night, asOf: asOf, checkIns: checkIns, warnings: warnings,
            dispatches: requests, name: name)

        let actions = records.operatorActions.filter { inNight($0.time) }.sorted { $0.time < $1.time }
        let directed = actions.filter { $0.action == "directed-check" }.map { a in
            let site = a.site ?? ""
            let visit = checkIns.first(where: { $0.site == site && $0.time >= a.time })?.time
            return DirectedCheck(site: site, siteName: name(site), author: a.author, requestedAt: a.time, visitedAt: visit)
        }

        var outages: [Outage] = []
        for w in warnings {
            switch w.code {
            case "device-offline", "communication-failure":
                outages.append(Outage(site: w.site ?? "", siteName: name(w.site ?? ""), code: w.code, message: w.message, from: w.time, to: nil))
            case "device-restored":
                if let i = outages.firstIndex(where: { $0.site == (w.site ?? "") && $0.to == nil }) { outages[i].to = w.time }
            default:
                break
            }
        }

        var byPriority: [String: Int] = [:]
        for i in incidents { byPriority[i.priority, default: 0] += 1 }
        var byCode: [String: Int] = [:]
        for w in warnings { byCode[w.code, default: 0] += 1 }
        let escalations = records.escalations.filter { inNight($0.time) }
        let counts = Counts(
            incidents: incidents.count, incidentsByPriority: byPriority,
            attributed: incidents.filter { $0.state == "attributed" }.count,
            closedWithoutDispatch: incidents.filter { $0.firstDispatchAt == nil && ($0.state == "closed" || $0.state == "cleared") }.count,
            cancelled: byCode["stand-down"] ?? 0,
            silences: actions.filter { $0.action == "silence" }.count,
            guardRequests: requests.count, escalations: escalations.count,
            warningsByCode: byCode, rejectedByReason: records.rejected,
            operatorActions: actions.filter { $0.action != "central-delivery" }.count)

        return NightReport(
            night: night.description, from: night.start.millisecondsSinceEpoch, to: night.end.millisecondsSinceEpoch,
            asOf: asOf, incidents: incidents, dispatches: dispatches, escalations: escalations, visits: visits,
            directedChecks: directed, supervisionOutages: outages, counts: counts,
            operatorActions: actions.filter { $0.action != "central-delivery" })
    }

    /// Every planned stop of the night with its status.
    static func visits(
        configuration: WatchConfiguration, night: Night, asOf: Int64, checkIns: [NightRecords.UnitMessage],
        warnings: [NightRecords.Warning], dispatches: [NightRecords.GuardRequestSent] = [], name: (String) -> String
    ) -> [Visit] {
        let weekday = night.date.weekday
        var visits: [Visit] = []
        for route in configuration.patrol.routes {
            let onDuty = configuration.patrol.shifts.isEmpty || configuration.patrol.shifts.contains {
                $0.units.contains(route.unit) && $0.weekdays.contains(weekday)
            }
            for stop in route.stops {
                // Windows before noon belong to the morning after the night's date.
                func instant(_ t: LocalTime) -> Int64 {
                    StockholmTime.resolve(t.hour < 12 ? night.date.adding(days: 1) : night.date, t).millisecondsSinceEpoch
                }
                let start = instant(stop.windowStart)
                var end = instant(stop.windowEnd)
                if end <= start { end += 86_400_000 }
                let site = stop.site.rawValue
                let visit = checkIns.first { $0.site == site && $0.unit == route.unit.rawValue && $0.time >= start - 30 * 60_000 }
                // A unit sent to an incident around the stop's window had its route re-planned.
                let sentAway = dispatches.contains { $0.unit == route.unit.rawValue && $0.time >= start - 30 * 60_000 && $0.time <= end }
                let status: String
                if !onDuty {
                    status = "off-duty"
                } else if let visit {
                    status = visit.time <= end ? "on-time" : sentAway ? "re-planned" : "late"
                } else if warnings.contains(where: { $0.code == "missed-stop" && $0.site == site }) || end < asOf {
                    status = sentAway ? "re-planned" : "missed"
                } else if warnings.contains(where: { $0.code == "late-stop" && $0.site == site }) {
                    status = "late"
                } else {
                    status = "planned"
                }
                visits.append(Visit(
                    route: route.id, unit: route.unit.rawValue, site: site, siteName: name(site),
                    windowStart: start, windowEnd: end, status: status, checkedInAt: visit?.time))
            }
        }
        return visits.sorted { ($0.windowStart, $0.route) < ($1.windowStart, $1.route) }
    }
}
