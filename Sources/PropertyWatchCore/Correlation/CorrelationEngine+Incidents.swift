/// Opening, merging and moving incidents through their lifecycle.
extension CorrelationEngine {
    /// What one event contributes to an incident.
    struct Contribution {
        var priority: IncidentPriority
        var verification: Verification = .none
        var zone: ZoneID?
        var trigger: String
        var snapshot: String?
    }

    func rules(site: Int) -> CorrelationRules { tables.rules[tables.sites[site].rules] }

    func dispatchable(_ priority: IncidentPriority, site: Int) -> Bool {
        let rules = tables.rules[tables.sites[site].rules]
        if priority < rules.dispatchThreshold { return false }
        return !(priority == .unverifiedIntrusion && rules.unverifiedIntrusion == .recordOnly)
    }

    /// Joins the site's active incident when it saw an event within the merge window (raising
    /// its priority if this is higher), else opens a new one.
    mutating func openOrMerge(site: Int, _ c: Contribution, now: Int64, into actions: inout [CorrelationAction]) {
        let mergeWindow = tables.rules[tables.sites[site].rules].mergeWindow.value
        if let serial = state.sites[site].current, var record = state.incidents[serial],
           !IncidentLifecycle.isTerminal(record.incident.state), now - record.lastActivity <= mergeWindow
        {
            record.lastActivity = now
            add(c, to: &record.incident)
            let raised = c.priority > record.incident.priority
            if c.verification != .none, raised || record.incident.verification == .none
                || (c.verification == .video && record.incident.verification != .video)
            {
                record.incident.verification = c.verification
                if let snapshot = c.snapshot { record.incident.snapshot = snapshot }
            } else if record.incident.snapshot == nil, let snapshot = c.snapshot {
                record.incident.snapshot = snapshot
            }
            if raised {
                record.incident.priority = c.priority
                let state = record.incident.state
                actions.append(.transition(IncidentTransition(
                    incident: record.incident.id, site: record.incident.site, from: state, to: state,
                    priority: c.priority, cause: "priority raised to \(c.priority.name): \(c.trigger)",
                    time: Timestamp(millisecondsSinceEpoch: now))))
                if dispatchable(c.priority, site: site) { actions.append(.dispatch(record.incident)) }
            }
            state.incidents[serial] = record
            return
        }
        let incident = newIncident(site: site, c, state: .new, now: now)
        state.sites[site].current = state.serials[incident.id]
        actions.append(.transition(IncidentTransition(
            incident: incident.id, site: incident.site, from: nil, to: .new, priority: incident.priority,
            cause: c.trigger, time: Timestamp(millisecondsSinceEpoch: now))))
        if dispatchable(c.priority, site: site) {
            actions.append(.dispatch(incident))
        } else if c.priority == .unverifiedIntrusion, let serial = state.serials[incident.id] {
            let window = tables.rules[tables.sites[site].rules].verificationWindow.value
            timers.push(TimerEntry(at: now + window, kind: .verificationExpiry, slot: serial))
        }
    }

    /// Records an event that must not be dispatched (guard present, silenced) as an
    /// `attributed` incident; such events within the merge window join the same record.
    mutating func recordAttributed(site: Int, _ c: Contribution, cause: String, now: Int64, into actions: inout [CorrelationAction]) {
        let mergeWindow = tables.rules[tables.sites[site].rules].mergeWindow.value
        if let serial = state.sites[site].attributed, var record = state.incidents[serial],
           now - record.lastActivity <= mergeWindow
        {
            record.lastActivity = now
            add(c, to: &record.incident)
            if c.priority > record.incident.priority { record.incident.priority = c.priority }
            state.incidents[serial] = record
            return
        }
        if let old = state.sites[site].attributed { forget(old) }
        let incident = newIncident(site: site, c, state: .attributed, now: now)
        state.sites[site].attributed = state.serials[incident.id]
        actions.append(.transition(IncidentTransition(
            incident: incident.id, site: incident.site, from: nil, to: .attributed, priority: incident.priority,
            cause: "\(cause): \(c.trigger)", time: Timestamp(millisecondsSinceEpoch: now))))
    }

    private mutating func newIncident(site: Int, _ c: Contribution, state initial: IncidentState, now: Int64) -> Incident {
        let serial = state.nextSerial
        state.nextSerial += 1
        let siteID = tables.sites[site].id
        // Numbered per Stockholm day in opening order, `2026-11-27-0007`: readable on the radio
        // and in reports. The number depends on the day's openings only, so a replay must start
        // at or before the start of the day of the oldest incident still open (`Journal.prune`
        // keeps whole days). A suffix guards the (impossible in order) case of a clash.
        let day = StockholmTime.local(Timestamp(millisecondsSinceEpoch: now)).date
        if state.incidentDay != day {
            state.incidentDay = day
            state.incidentsThatDay = 0
        }
        state.incidentsThatDay += 1
        let number = String(state.incidentsThatDay)
        let base = "\(day)-\(String(repeating: "0", count: max(0, 4 - number.count)))\(number)"
        var id = IncidentID(base)
        var suffix = 2
        while state.serials[id] != nil {
            id = IncidentID("\(base)-\(suffix)")
            suffix += 1
        }
        let incident = Incident(
            id: id, site: siteID, priority: c.priority, state: initial, verification: c.verification,
            zones: c.zone.map { [$0] } ?? [], triggers: [c.trigger], snapshot: c.snapshot,
            openedAt: Timestamp(millisecondsSinceEpoch: now))
        state.incidents[serial] = IncidentRecord(incident: incident, site: site, lastActivity: now)
        state.serials[id] = serial
        return incident
    }

    private func add(_ c: Contribution, to incident: inout Incident) {
        if let zone = c.zone, !incident.zones.contains(zone) { incident.zones.append(zone) }
        if incident.triggers.count < policy.maxTriggersPerIncident { incident.triggers.append(c.trigger) }
    }

    private mutating func forget(_ serial: Int) {
        guard let record = state.incidents.removeValue(forKey: serial) else { return }
        state.serials[record.incident.id] = nil
        if state.sites[record.site].current == serial { state.sites[record.site].current = nil }
        if state.sites[record.site].attributed == serial { state.sites[record.site].attributed = nil }
    }

    // MARK: - Lifecycle

    mutating func lifecycle(_ id: IncidentID, _ event: IncidentLifecycle.Event, cause: String, outcome: IncidentOutcome? = nil, now: Timestamp) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        let t = now.millisecondsSinceEpoch
        advance(to: t, into: &actions)
        lifecycle(id, event, cause: cause, outcome: outcome, now: t, into: &actions)
        return actions
    }

    /// Moves an incident through `IncidentLifecycle`; refused moves become an
    /// `invalid-transition` warning and change nothing.
    mutating func lifecycle(_ id: IncidentID, _ event: IncidentLifecycle.Event, cause: String, outcome: IncidentOutcome? = nil, now: Int64, into actions: inout [CorrelationAction]) {
        guard let serial = state.serials[id], var record = state.incidents[serial] else {
            actions.append(.warning(site: nil, code: CorrelationWarning.unknownIncident.rawValue,
                                    message: "\(event.rawValue) for unknown incident \(id)"))
            return
        }
        let from = record.incident.state
        guard let to = IncidentLifecycle.next(from: from, on: event) else {
            actions.append(.warning(site: record.incident.site, code: CorrelationWarning.invalidTransition.rawValue,
                                    message: "\(id): cannot \(event.rawValue) when \(from.rawValue)"))
            return
        }
        record.incident.state = to
        if let outcome { record.incident.outcome = outcome }
        actions.append(.transition(IncidentTransition(
            incident: id, site: record.incident.site, from: from, to: to, priority: record.incident.priority,
            cause: cause, time: Timestamp(millisecondsSinceEpoch: now))))
        if event == .close, IncidentLifecycle.hasGuardUnderway(from) {
            actions.append(.cancelDispatch(id, reason: cause))
        }
        if IncidentLifecycle.isTerminal(to) {
            forget(serial)
        } else {
            state.incidents[serial] = record
        }
    }

    mutating func apply(_ reply: GuardReply, now: Int64, into actions: inout [CorrelationAction]) {
        let current = state.serials[reply.incident].flatMap { state.incidents[$0]?.incident.state }
        switch reply.kind {
        case .declined:
            return
        case .accepted, .enRoute:
            if current == .acknowledged { return }
            lifecycle(reply.incident, .acknowledge, cause: "\(reply.unit) \(reply.kind.rawValue)", now: now, into: &actions)
        case .arrived:
            if current == .onSite { return }
            lifecycle(reply.incident, .arrive, cause: "\(reply.unit) arrived", now: now, into: &actions)
        case .cleared:
            let outcome = reply.outcome.map { ": \($0.rawValue)" } ?? ""
            let note = reply.note.map { " (\($0))" } ?? ""
            lifecycle(reply.incident, .clear, cause: "\(reply.unit) cleared\(outcome)\(note)", outcome: reply.outcome, now: now, into: &actions)
        }
    }
}
