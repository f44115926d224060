/// Opening, merging and moving incidents through their lifecycle.
extension CorrelationEngine {
    /// What one event contributes to an incident.
    struct Contribution {
        var kind: IncidentKind
        var priority: IncidentPriority
        var verification: Verification = .none
        var zone: ZoneID?
        var trigger: String
        var snapshot: String?
        /// Set for technical incidents (supervision, late-to-close, flapping, …): what they are
        /// about, so the same fault joins its own incident and is resolved on its own.
        var technicalSubject: String?
        /// The camera event (Frigate event id) it comes from, listed on the incident.
        var cameraEvent: String?
    }

    /// What `openOrMerge` did, for the decision record.
    struct Outcome {
        var verdict: Decision.Verdict
        var reason: String
        var incident: IncidentID?
    }

    func rules(site: Int) -> CorrelationRules { tables.rules(site: site) }

    func dispatchable(_ priority: IncidentPriority, kind: IncidentKind, site: Int) -> Bool {
        let rules = rules(site: site)
        if priority < rules.dispatchThreshold || kind == .lateAlarm { return false }
        if kind == .unverifiedIntrusion {
            // Verify first waits for video; without video there is nothing to wait for.
            return rules.unverifiedIntrusion.action == .dispatch
                && (rules.unverifiedIntrusion.wait.value == 0 || !state.sites[site].videoDown.isEmpty)
        }
        return true
    }

    /// Joins the site's active incident when it saw an event within the merge window (raising
    /// its priority if this is higher), else opens a new one. Technical contributions join the
    /// open incident about the same fault, or open their own.
    @discardableResult
    mutating func openOrMerge(site: Int, _ c: Contribution, now: Int64, into actions: inout [CorrelationAction]) -> Outcome {
        let mergeWindow = rules(site: site).mergeWindow.value
        let technicalKey = c.technicalSubject.map { "\(c.kind.rawValue):\($0)" }
        let existing = technicalKey.map { state.sites[site].technical[$0] } ?? state.sites[site].current
        if let serial = existing, var record = state.incidents[serial], !IncidentLifecycle.isTerminal(record.incident.state),
           technicalKey != nil || now - record.lastActivity <= mergeWindow
        {
            record.lastActivity = now
            add(c, to: &record.incident)
            let raised = c.priority > record.incident.priority
            var verified = false
            if c.verification != .none, raised || record.incident.verification == .none
                || (c.verification == .video && record.incident.verification != .video)
            {
                verified = record.incident.verification != c.verification
                record.incident.verification = c.verification
                if let snapshot = c.snapshot { record.incident.snapshot = snapshot }
            } else if record.incident.snapshot == nil, let snapshot = c.snapshot {
                record.incident.snapshot = snapshot
            }
            var reason = "joined \(record.incident.id) (\(record.incident.kind.rawValue), \(record.incident.state.rawValue))"
            if raised {
                record.incident.priority = c.priority
                record.incident.kind = c.kind
                record.awaitingUntil = nil
                let state = record.incident.state
                actions.append(.transition(IncidentTransition(
                    incident: record.incident.id, site: record.incident.site, from: state, to: state,
                    priority: c.priority, cause: "priority raised to \(c.priority.name): \(c.trigger)",
                    time: Timestamp(millisecondsSinceEpoch: now), kind: c.kind)))
                reason += "; raised to \(c.priority.name)"
                if dispatchable(c.priority, kind: c.kind, site: site) {
                    actions.append(.dispatch(record.incident))
                    reason += "; guard requested"
                }
            } else if verified, record.incident.state != .new, IncidentLifecycle.hasGuardUnderway(record.incident.state) || record.incident.state == .onSite {
                // Same priority, better verified (sequential → video): the unit asked is told.
                actions.append(.dispatch(record.incident))
                reason += "; now \(c.verification.rawValue) verified, the unit is told"
            }
            state.incidents[serial] = record
            return Outcome(verdict: .joined, reason: reason, incident: record.incident.id)
        }
        let incident = newIncident(site: site, c, state: .new, now: now)
        let serial = state.serials[incident.id]!
        if let technicalKey {
            state.sites[site].technical[technicalKey] = serial
            state.incidents[serial]?.technicalKey = technicalKey
        } else {
            state.sites[site].current = serial
        }
        actions.append(.transition(IncidentTransition(
            incident: incident.id, site: incident.site, from: nil, to: .new, priority: incident.priority,
            cause: c.trigger, time: Timestamp(millisecondsSinceEpoch: now), kind: c.kind)))
        let opened = "opened \(incident.id) (\(c.kind.rawValue), priority \(c.priority.name))"
        if dispatchable(c.priority, kind: c.kind, site: site) {
            actions.append(.dispatch(incident))
            return Outcome(verdict: .dispatched, reason: opened + "; guard requested" + videoUnavailableNote(site: site, c.kind), incident: incident.id)
        }
        guard c.kind == .unverifiedIntrusion, c.priority >= rules(site: site).dispatchThreshold else {
            return Outcome(verdict: .incident, reason: opened + "; below the dispatch threshold \(rules(site: site).dispatchThreshold.name)",
                           incident: incident.id)
        }
        let policy = rules(site: site).unverifiedIntrusion
        if policy.wait.value > 0, state.sites[site].videoDown.isEmpty {
            state.incidents[serial]?.awaitingUntil = now + policy.wait.value
            timers.push(TimerEntry(at: now + policy.wait.value, kind: .verificationExpiry, slot: serial))
            return Outcome(verdict: .awaitingVerification,
                           reason: opened + "; waiting up to \(policy.wait.value / 60_000) min for a second zone or a camera, then \(policy.action.rawValue)",
                           incident: incident.id)
        }
        switch policy.action {
        case .directedCheck:
            actions.append(.directedCheck(site: incident.site, incident: incident.id, reason: "unverified intrusion: \(c.trigger)"))
            return Outcome(verdict: .directedCheck, reason: opened + "; the patrol is asked to check the site" + videoUnavailableNote(site: site, c.kind),
                           incident: incident.id)
        case .record, .dispatch:
            let window = rules(site: site).verificationWindow.value
            timers.push(TimerEntry(at: now + window, kind: .verificationExpiry, slot: serial))
            return Outcome(verdict: .incident, reason: opened + "; recorded, closed if not verified within \(window / 60_000) min",
                           incident: incident.id)
        }
    }

    /// Records an event that must not be dispatched (guard present, silenced) as an
    /// `attributed` incident; such events within the merge window join the same record.
    @discardableResult
    mutating func recordAttributed(site: Int, _ c: Contribution, cause: String, now: Int64, into actions: inout [CorrelationAction]) -> IncidentID? {
        let mergeWindow = rules(site: site).mergeWindow.value
        if let serial = state.sites[site].attributed, var record = state.incidents[serial],
           now - record.lastActivity <= mergeWindow
        {
            record.lastActivity = now
            add(c, to: &record.incident)
            if c.priority > record.incident.priority {
                record.incident.priority = c.priority
                record.incident.kind = c.kind
            }
            state.incidents[serial] = record
            return record.incident.id
        }
        if let old = state.sites[site].attributed { forget(old) }
        let incident = newIncident(site: site, c, state: .attributed, now: now)
        state.sites[site].attributed = state.serials[incident.id]
        actions.append(.transition(IncidentTransition(
            incident: incident.id, site: incident.site, from: nil, to: .attributed, priority: incident.priority,
            cause: "\(cause): \(c.trigger)", time: Timestamp(millisecondsSinceEpoch: now), kind: c.kind)))
        return incident.id
    }

    private mutating func newIncident(site: Int, _ c: Contribution, state initial: IncidentState, now: Int64) -> Incident {
        let serial = state.nextSerial
        state.nextSerial += 1
        let siteID = tables.sites[site].id
        // Numbered per Stockholm day in opening order, `2026-11-27-0007`: readable on the radio
        // and in reports. The number depends on the day's openings only; a replay that starts
        // mid-day (events purged by retention) renumbers only that day, whose incidents are
        // closed long before (stale ones after `journal.stale_incident_days`). A suffix guards
        // the (impossible in order) case of a clash.
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
        var incident = Incident(
            id: id, site: siteID, kind: c.kind, priority: c.priority, state: initial, verification: c.verification,
            zones: c.zone.map { [$0] } ?? [], triggers: [c.trigger], snapshot: c.snapshot,
            openedAt: Timestamp(millisecondsSinceEpoch: now))
        if let event = c.cameraEvent { incident.cameraEvents = [event] }
        state.incidents[serial] = IncidentRecord(incident: incident, site: site, lastActivity: now)
        state.serials[id] = serial
        return incident
    }

    private func add(_ c: Contribution, to incident: inout Incident) {
        if let zone = c.zone, !incident.zones.contains(zone) { incident.zones.append(zone) }
        if incident.triggers.count < policy.maxTriggersPerIncident { incident.triggers.append(c.trigger) }
        if let event = c.cameraEvent, !incident.cameraEvents.contains(event), incident.cameraEvents.count < Incident.maxCameraEvents {
            incident.cameraEvents.append(event)
        }
    }

    mutating func forget(_ serial: Int) {
        guard let record = state.incidents.removeValue(forKey: serial) else { return }
        state.serials[record.incident.id] = nil
        if state.sites[record.site].current == serial { state.sites[record.site].current = nil }
        if state.sites[record.site].attributed == serial { state.sites[record.site].attributed = nil }
        if let key = record.technicalKey, state.sites[record.site].technical[key] == serial {
            state.sites[record.site].technical[key] = nil
        }
        for p in state.sites[record.site].partitions.indices where state.sites[record.site].partitions[p].lateIncident == serial {
            state.sites[record.site].partitions[p].lateIncident = nil
        }
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
    ///
    /// `event` nil keeps the state (a unit en route); `reported` is the dispatch fact it comes
    /// from, whose times the transition carries.
    mutating func lifecycle(
        _ id: IncidentID, _ event: IncidentLifecycle.Event?, cause: String, outcome: IncidentOutcome? = nil,
        reported fact: DispatchFact? = nil, now: Int64, into actions: inout [CorrelationAction]
    ) {
        let name = event?.rawValue ?? "en-route"
        guard let serial = state.serials[id], var record = state.incidents[serial] else {
            actions.append(.warning(site: nil, code: CorrelationWarning.unknownIncident.rawValue,
                                    message: "\(name) for unknown incident \(id)"))
            return
        }
        let from = record.incident.state
        guard let to = event.map({ IncidentLifecycle.next(from: from, on: $0) }) ?? from else {
            actions.append(.warning(site: record.incident.site, code: CorrelationWarning.invalidTransition.rawValue,
                                    message: "\(id): cannot \(name) when \(from.rawValue)"))
            return
        }
        record.incident.state = to
        if let outcome { record.incident.outcome = outcome }
        actions.append(.transition(IncidentTransition(
            incident: id, site: record.incident.site, from: from, to: to, priority: record.incident.priority,
            cause: cause, time: Timestamp(millisecondsSinceEpoch: now), times: fact?.times,
            kind: fact == nil ? record.incident.kind : nil)))
        if event == .close, IncidentLifecycle.hasGuardUnderway(from) {
            actions.append(.cancelDispatch(id, reason: cause))
        }
        if IncidentLifecycle.isTerminal(to) {
            forget(serial)
        } else {
            state.incidents[serial] = record
        }
    }

    /// Records what dispatch did for an incident (`DispatchFact`) and reports the transition:
    /// the engine's state as `from`, the fact's cause and times. An `enRoute` fact keeps the
    /// state and is reported as such (`from == to`). Like the coordinator's transitions before
    /// the engine took them over, these carry the dispatch `times` and no `kind`.
    public mutating func record(_ fact: DispatchFact, now: Timestamp) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        let t = now.millisecondsSinceEpoch
        advance(to: t, into: &actions)
        let outcome: IncidentOutcome? = if case .cleared(_, let outcome) = fact.kind { outcome } else { nil }
        lifecycle(fact.incident, fact.event, cause: fact.cause, outcome: outcome, reported: fact, now: t, into: &actions)
        return actions
    }
}
