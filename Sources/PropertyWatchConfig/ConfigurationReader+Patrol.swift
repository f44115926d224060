import PropertyWatchCore

extension ConfigurationReader {
    mutating func patrol(_ entry: Entry?, sites: Set<SiteID>) -> PatrolConfiguration {
        var patrol = PatrolConfiguration()
        guard let f = fields(entry, known: ["units", "shifts", "routes", "travel", "escalation"]) else { return patrol }
        patrol.units = units(f["units"])
        let unitIDs = Set(patrol.units.map(\.id))
        patrol.shifts = shifts(f["shifts"], units: unitIDs)
        patrol.routes = routes(f["routes"], units: unitIDs, sites: sites, shifts: patrol.shifts)
        if let t = fields(f["travel"], known: ["road_factor", "average_speed_kmh"]) {
            if let v = double(t["road_factor"], in: 1...3) { patrol.travel.roadFactor = v }
            if let v = double(t["average_speed_kmh"], in: 5...130) { patrol.travel.averageSpeed = v }
        }
        if let e = fields(f["escalation"], known: ["central_webhook_url", "on_call", "chains"]) {
            if let entry = e["central_webhook_url"], let url = string(entry) {
                if url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > 8, !url.contains(" ") {
                    patrol.escalation.centralWebhookURL = url
                } else {
                    error(entry, "'\(url)' is not an http:// or https:// URL")
                }
            }
            patrol.escalation.onCallContact = string(e["on_call"])
            escalationChains(e["chains"], into: &patrol.escalation)
        }
        return patrol
    }

    /// `patrol.escalation.chains`: `default` and one chain per priority name.
    private mutating func escalationChains(_ entry: Entry?, into escalation: inout EscalationConfiguration) {
        let priorities = IncidentPriority.allCases.sorted(by: >)
        guard let f = fields(entry, known: ["default"] + priorities.map(\.name)) else { return }
        if let chain = escalationChain(f["default"], escalation) { escalation.defaultChain = chain }
        for priority in priorities {
            if let chain = escalationChain(f[priority.name], escalation) { escalation.chains[priority] = chain }
        }
    }

    private mutating func escalationChain(_ entry: Entry?, _ escalation: EscalationConfiguration) -> EscalationChain? {
        guard let f = fields(entry, known: ["unit_timeout_seconds", "units", "central_timeout_seconds", "notify_at_once", "check_instead"]) else { return nil }
        var chain = EscalationChain()
        chain.checkInstead = bool(f["check_instead"])
        if let v = int(f["unit_timeout_seconds"], in: 10...3600) { chain.unitTimeout = .seconds(Int64(v)) }
        if let v = int(f["units"], in: 1...20) { chain.maxUnits = v }
        if let v = int(f["central_timeout_seconds"], in: 30...86_400) {
            chain.centralTimeout = .seconds(Int64(v))
            if escalation.onCallContact == nil, let e = f["central_timeout_seconds"] { warning(e, "no on_call contact is configured to tell") }
        }
        if let items = list(f["notify_at_once"]) {
            var targets: Set<EscalationTarget> = []
            for item in items {
                guard let text = string(item) else { continue }
                guard let target = EscalationTarget(rawValue: text) else {
                    error(item, "'\(text)' is not one of \(EscalationTarget.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                if target == .central, escalation.centralWebhookURL == nil { error(item, "no central_webhook_url is configured") }
                if target == .onCall, escalation.onCallContact == nil { error(item, "no on_call contact is configured") }
                if !targets.insert(target).inserted { error(item, "'\(text)' is listed twice") }
            }
            chain.atOnce = targets
        }
        return chain
    }

    private mutating func units(_ entry: Entry?) -> [UnitConfiguration] {
        var units: [UnitConfiguration] = []
        var seen: Set<String> = []
        for item in list(entry) ?? [] {
            guard let f = fields(item, known: ["id", "call_sign", "capabilities"]) else { continue }
            let id = identifier(require(f, "id"))
            let callSign = f.has("call_sign") ? string(f["call_sign"]) : id
            let capabilities = strings(f["capabilities"]) ?? []
            guard let id, let callSign else { continue }
            guard seen.insert(id).inserted else {
                error(idEntry(item), "duplicate unit id '\(id)'")
                continue
            }
            units.append(UnitConfiguration(id: UnitID(id), callSign: callSign, capabilities: Set(capabilities)))
        }
        return units
    }

    private mutating func shifts(_ entry: Entry?, units: Set<UnitID>) -> [ShiftConfiguration] {
        var shifts: [ShiftConfiguration] = []
        var seen: Set<String> = []
        for item in list(entry) ?? [] {
            guard let f = fields(item, known: ["id", "units", "weekdays", "start", "end"]) else { continue }
            let id = identifier(require(f, "id"))
            let shiftUnits = unitReferences(require(f, "units"), in: units)
            let weekdays = weekdays(require(f, "weekdays"))
            let start = time(require(f, "start"))
            let end = time(require(f, "end"))
            if let e = f["units"], shiftUnits?.isEmpty == true, e.node.sequence?.isEmpty == true { error(e, "a shift needs at least one unit") }
            if let e = f["weekdays"], weekdays?.isEmpty == true, e.node.sequence?.isEmpty == true { error(e, "a shift needs at least one weekday") }
            guard let id, let shiftUnits, let weekdays, let start, let end else { continue }
            if start == end, let e = f["end"] {
                error(e, "the shift starts and ends at \(start): an empty range")
                continue
            }
            guard seen.insert(id).inserted else {
                error(idEntry(item), "duplicate shift id '\(id)'")
                continue
            }
            shifts.append(ShiftConfiguration(id: id, units: shiftUnits, weekdays: weekdays, start: start, end: end))
        }
        return shifts
    }

    private mutating func routes(
        _ entry: Entry?, units: Set<UnitID>, sites: Set<SiteID>, shifts: [ShiftConfiguration]
    ) -> [RouteConfiguration] {
        var routes: [RouteConfiguration] = []
        var seen: Set<String> = []
        for item in list(entry) ?? [] {
            guard let f = fields(item, known: ["id", "unit", "stops"]) else { continue }
            let id = identifier(require(f, "id"))
            let unit = require(f, "unit").flatMap { unitReferences($0, in: units, single: true)?.first }
            var stops: [RouteStop] = []
            for stopEntry in list(require(f, "stops")) ?? [] {
                guard let s = fields(stopEntry, known: ["site", "window", "dwell_minutes"]) else { continue }
                let site = siteReference(require(s, "site"), in: sites)
                let window = timeRange(require(s, "window"))
                let dwell = s.has("dwell_minutes") ? int(s["dwell_minutes"], in: 0...240) : 10
                guard let site, let window, let dwell else { continue }
                if dwell > window.nominalMinutes, let e = s["dwell_minutes"] {
                    warning(e, "dwell of \(dwell) min is longer than the \(window.nominalMinutes) min window")
                }
                if let unit, !shifts.contains(where: { $0.units.contains(unit) && $0.hours.contains(window.start) }),
                    let e = s["window"]
                {
                    warning(e, "no shift of unit \(unit) covers \(window.start)")
                }
                stops.append(RouteStop(site: site, windowStart: window.start, windowEnd: window.end, dwellMinutes: dwell))
            }
            guard let id, let unit else { continue }
            guard seen.insert(id).inserted else {
                error(idEntry(item), "duplicate route id '\(id)'")
                continue
            }
            routes.append(RouteConfiguration(id: id, unit: unit, stops: stops))
        }
        return routes
    }

    private mutating func unitReferences(_ entry: Entry?, in units: Set<UnitID>, single: Bool = false) -> [UnitID]? {
        guard let entry else { return nil }
        let items = single ? [entry] : (list(entry) ?? [])
        var result: [UnitID] = []
        for item in items {
            guard let id = identifier(item) else { continue }
            guard units.contains(UnitID(id)) else {
                var reason = "unknown unit '\(id)'"
                if let suggestion = KeySuggestion.closest(to: id, in: units.map(\.rawValue).sorted()) { reason += "; did you mean '\(suggestion)'?" }
                error(item, reason)
                continue
            }
            result.append(UnitID(id))
        }
        return result
    }

    private mutating func siteReference(_ entry: Entry?, in sites: Set<SiteID>) -> SiteID? {
        guard let entry, let id = identifier(entry) else { return nil }
        guard sites.contains(SiteID(id)) else {
            var reason = "unknown site '\(id)'"
            if let suggestion = KeySuggestion.closest(to: id, in: sites.map(\.rawValue).sorted()) { reason += "; did you mean '\(suggestion)'?" }
            error(entry, reason)
            return nil
        }
        return SiteID(id)
    }
}
