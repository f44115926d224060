/// Choosing units, asking them, and following their answers.
extension DispatchCoordinator {
    /// A unit that could take an incident, with what it would cost.
    struct Candidate: Sendable, Hashable {
        var unit: UnitID
        var eta: Timestamp?
        /// On site already, or a direct drive within `preferredWithin`.
        var preferred: Bool
        /// ETA from now + weight × delay to its remaining stops, in milliseconds.
        var cost: Int64
        var insertion: RoutePlanner.Insertion?
    }

    /// Whether `unit` can be asked for a new incident.
    func isAvailable(_ unit: UnitID, at now: Timestamp) -> Bool {
        guard let track = units[unit], track.incident == nil, track.reported != .offDuty else { return false }
        return isOnShift(unit, at: now)
    }

    /// Units not yet asked for `d`, best first.
    func candidates(for d: IncidentDispatch, now: Timestamp) -> [Candidate] {
        guard let site = directory.site(d.incident.site) else { return [] }
        let required = policy.requiredCapabilities[d.incident.priority] ?? []
        var result: [Candidate] = []
        for unit in unitIDs where d.asked[unit] == nil && isAvailable(unit, at: now) {
            guard required.isSubset(of: directory.unit(unit)?.capabilities ?? []) else { continue }
            guard let origin = location(of: unit) else {
                result.append(Candidate(unit: unit, eta: nil, preferred: false, cost: .max, insertion: nil))
                continue
            }
            let visit = RoutePlanner.Stop(location: site.location, notBefore: now, dwell: policy.incidentDwell)
            let positions: ClosedRange<Int>? = d.incident.priority >= policy.immediateFrom ? 0...0 : nil
            let options = planner.insertions(
                of: visit, into: plannerStops(remainingStops(of: unit)), from: origin, at: now, positions: positions)
            func cost(_ i: RoutePlanner.Insertion) -> Int64 {
                (i.arrival - now).value + Int64((Double(i.totalDelay.value) * policy.delayWeight).rounded())
            }
            guard let best = options.min(by: { (cost($0), $0.position) < (cost($1), $1.position) }) else { continue }
            let direct = units[unit]?.atSite == site.id
                ? Milliseconds(0) : planner.travel.travelTime(from: origin, to: site.location)
            let preferred = direct <= policy.preferredWithin
            result.append(Candidate(unit: unit, eta: best.arrival, preferred: preferred, cost: cost(best), insertion: best))
        }
        result.sort { a, b in
            (a.preferred ? 0 : 1, a.cost, a.unit) < (b.preferred ? 0 : 1, b.cost, b.unit)
        }
        return result
    }

    // MARK: - Incidents

    mutating func needsGuard(_ incident: Incident, now: Timestamp, into actions: inout [DispatchAction]) {
        guard endedUnknown[incident.id] == nil else { return }
        guard var d = incidents[incident.id] else {
            var d = IncidentDispatch(incident: incident)
            if incident.verification != .none { d.times.verified = now }
            if directory.site(incident.site) == nil {
                d.endedAt = now
                actions.append(.warning(site: incident.site, code: "unknown-site",
                    message: "\(incident.id): site \(incident.site) is not configured; no unit asked"))
            } else if policy.chain(for: incident.priority).checkInstead == true {
                let key = DirectedKey(site: incident.site, notBefore: nil, by: "policy", reason: "\(incident.priority.name) \(incident.id)")
                d.check = directedCheck(key, now: now, into: &actions)
                // No unit on shift to check it: a unit is asked after all.
                if d.check == nil { dispatchNext(&d, now: now, reason: "no route to add a check to", into: &actions) }
            } else {
                dispatchNext(&d, now: now, reason: nil, into: &actions)
                notifyAtOnce(&d, now: now, into: &actions)
            }
            incidents[incident.id] = d
            return
        }
        guard !d.ended else { return }
        let previous = d.incident
        let changes = Self.changes(from: previous, to: incident)
        guard !changes.isEmpty else { return }
        if d.times.verified == nil, incident.verification != .none { d.times.verified = now }
        d.incident.priority = max(previous.priority, incident.priority)
        d.incident.verification = incident.verification
        d.incident.zones = incident.zones
        d.incident.triggers = incident.triggers
        d.incident.snapshot = incident.snapshot ?? d.incident.snapshot
        d.incident.cameraEvents = incident.cameraEvents
        if let check = d.check, policy.chain(for: d.incident.priority).checkInstead != true {
            // A check is no longer enough: withdrawn, and a unit asked to go.
            d.check = nil
            withdrawCheck(check, because: "\(d.incident.id) rose to \(d.incident.priority.name); a unit is asked to go", into: &actions)
            dispatchNext(&d, now: now, reason: "priority rose from \(previous.priority.name) to \(d.incident.priority.name)", into: &actions)
        } else if d.pending != nil || (d.assigned != nil && d.progress.map { $0 < .cleared } ?? false) {
            // The unit that holds the request is told; its answer deadline stands (it never
            // shrinks for a unit already asked).
            sendUpdate(&d, changes: changes, now: now, into: &actions)
        } else if d.assigned == nil, d.escalated, incident.priority > previous.priority {
            let reason = "priority rose from \(previous.priority.name) to \(incident.priority.name)"
            dispatchNext(&d, now: now, reason: reason, escalate: false, into: &actions)
        }
        if d.incident.priority > previous.priority { notifyAtOnce(&d, now: now, into: &actions) }
        incidents[incident.id] = d
    }

    /// What a unit holding a request for `old` must hear about `new`: a higher priority, a
    /// change of verification, new zones, a first snapshot. Nothing else counts as a change.
    static func changes(from old: Incident, to new: Incident) -> [String] {
        var changes: [String] = []
        if new.priority > old.priority { changes.append("priority \(old.priority.name) → \(new.priority.name)") }
        if new.verification != old.verification, new.verification != .none {
            changes.append("verification \(old.verification.rawValue) → \(new.verification.rawValue)")
        }
        let added = new.zones.filter { !old.zones.contains($0) }
        if !added.isEmpty { changes.append("zones + " + added.map(\.rawValue).joined(separator: ", ")) }
        if old.snapshot == nil, new.snapshot != nil { changes.append("snapshot") }
        return changes
    }

    /// Sends the holder of `d`'s request its next revision.
    mutating func sendUpdate(_ d: inout IncidentDispatch, changes: [String], now: Timestamp, into actions: inout [DispatchAction]) {
        guard var r = d.sent else { return }
        r.revision += 1
        r.changes = changes
        r.priority = d.incident.priority
        r.verification = d.incident.verification
        r.zones = d.incident.zones
        r.triggers = d.incident.triggers
        r.snapshot = d.incident.snapshot
        r.cameraEvents = d.incident.cameraEvents
        r.issuedAt = now
        if let p = d.pending { r.answerBy = p.deadline } else { r.answerBy = nil }
        d.sent = r
        actions.append(.updateRequest(r))
    }

    mutating func ended(_ id: IncidentID, reason: String, now: Timestamp, into actions: inout [DispatchAction]) {
        if let check = incidentChecks.removeValue(forKey: id) {
            withdrawCheck((check.unit, check.stop), because: "\(id) ended: \(reason)", into: &actions)
        }
        guard var d = incidents[id] else {
            endedUnknown[id] = now
            return
        }
        guard !d.ended else { return }
        d.endedAt = now
        d.central?.nextRetry = nil
        let why = "\(id) ended: \(reason)"
        if let check = d.check {
            d.check = nil
            withdrawCheck(check, because: why, into: &actions)
        }
        if let p = d.pending {
            release(p.unit, from: id)
            standDown(p.unit, &d, because: why, into: &actions)
            d.pending = nil
        }
        if let unit = d.assigned, d.progress != .cleared {
            release(unit, from: id)
            standDown(unit, &d, because: why, into: &actions)
        }
        incidents[id] = d
    }

    /// Asks the best unit not yet asked; with none left, escalates (unless `escalate` is false).
    mutating func dispatchNext(
        _ d: inout IncidentDispatch, now: Timestamp, reason: String?, escalate: Bool = true,
        into actions: inout [DispatchAction]
    ) {
        if let most = policy.chain(for: d.incident.priority).maxUnits, d.attempts >= most {
            let why = [reason, "\(d.attempts) unit\(d.attempts == 1 ? "" : "s") asked, as many as the chain allows"]
                .compactMap { $0 }.joined(separator: "; ")
            if escalate { self.escalate(&d, now: now, reason: why, into: &actions) }
            return
        }
        guard let best = candidates(for: d, now: now).first else {
            if preempt(for: &d, now: now, reason: reason, into: &actions) { return }
            if escalate { self.escalate(&d, now: now, reason: reason, into: &actions) }
            return
        }
        request(best, for: &d, now: now, reason: reason, into: &actions)
    }

    mutating func request(_ c: Candidate, for d: inout IncidentDispatch, now: Timestamp, reason: String?, into actions: inout [DispatchAction]) {
        guard let site = directory.site(d.incident.site) else { return }
        d.attempts += 1
        let requestID = "\(d.incident.id)-\(d.attempts)"
        let timeout = policy.acknowledgementTimeout(for: d.incident.priority)
        d.asked[c.unit] = requestID
        d.pending = IncidentDispatch.Pending(unit: c.unit, requestID: requestID, issuedAt: now, deadline: now + timeout)
        schedule(.acknowledgement, of: d.incident.id, at: now + timeout)
        if d.times.requested == nil { d.times.requested = now }
        units[c.unit]?.incident = d.incident.id
        var sent = GuardRequest(
            requestID: requestID, incident: d.incident.id, unit: c.unit, site: site.id, siteName: site.name,
            address: site.address, zones: d.incident.zones, priority: d.incident.priority,
            verification: d.incident.verification, triggers: d.incident.triggers, snapshot: d.incident.snapshot,
            eta: c.eta, issuedAt: now, attempt: d.attempts, answerBy: now + timeout)
        sent.cameraEvents = d.incident.cameraEvents
        d.sent = sent
        actions.append(.requestGuard(sent))
        var cause = "requested \(c.unit) (\(requestID)"
        if let eta = c.eta { cause += ", ETA \(Self.duration(eta - now))" }
        if let i = c.insertion, i.totalDelay.value > 0 { cause += ", delays its route by \(Self.duration(i.totalDelay))" }
        cause += ")"
        if let reason { cause = "\(reason); \(cause)" }
        report(d, .dispatched(unit: c.unit, requestID: requestID), cause: cause, into: &actions)
    }

    /// Reports a move in `d`'s lifecycle; the engine records it and reports the transition.
    func report(_ d: IncidentDispatch, _ kind: DispatchFact.Kind, cause: String, into actions: inout [DispatchAction]) {
        actions.append(.fact(DispatchFact(incident: d.incident.id, kind: kind, cause: cause, times: d.times)))
    }

    mutating func release(_ unit: UnitID, from id: IncidentID) {
        if units[unit]?.incident == id { units[unit]?.incident = nil }
    }

    /// Tells `unit` (once per incident) that it is not to go.
    mutating func standDown(_ unit: UnitID, _ d: inout IncidentDispatch, because why: String, into actions: inout [DispatchAction]) {
        guard d.stoodDown.insert(unit).inserted else { return }
        actions.append(.warning(site: d.incident.site, code: "stand-down", message: "\(unit): stand down from \(d.incident.id) (\(why))"))
    }

    /// Handles the timeouts of `due` (sorted), which includes every incident whose request
    /// timed out at `now`.
    mutating func expireRequests(_ due: [IncidentID], now: Timestamp, into actions: inout [DispatchAction]) {
        for id in due {
            guard var d = incidents[id], !d.ended, let p = d.pending, p.deadline <= now else { continue }
            d.pending = nil
            release(p.unit, from: id)
            let waited = Self.duration(p.deadline - p.issuedAt)
            actions.append(.warning(site: d.incident.site, code: "ack-timeout",
                message: "\(p.unit) did not answer \(p.requestID) within \(waited)"))
            dispatchNext(&d, now: now, reason: "\(p.unit) did not answer within \(waited)", into: &actions)
            incidents[id] = d
        }
    }

    // MARK: - Replies

    mutating func reply(_ r: GuardReply, now: Timestamp, into actions: inout [DispatchAction]) {
        guard var d = incidents[r.incident] else { return }
        defer { incidents[r.incident] = d }
        if d.ended {
            if r.kind != .declined, r.kind != .cleared || d.assigned != r.unit {
                standDown(r.unit, &d, because: "\(r.incident) has ended", into: &actions)
            }
            return
        }
        switch r.kind {
        case .accepted, .enRoute, .arrived, .cleared:
            if d.assigned == r.unit {
                progress(r, &d, now: now, into: &actions)
            } else if d.pending?.unit == r.unit {
                accept(r.unit, &d, late: false, now: now, into: &actions)
                progress(r, &d, now: now, into: &actions)
            } else if let other = d.assigned {
                standDown(r.unit, &d, because: "taken by \(other)", into: &actions)
            } else if d.asked[r.unit] != nil {
                // A late answer to a request that timed out: taken if nobody has taken the incident.
                guard units[r.unit]?.incident == nil else {
                    standDown(r.unit, &d, because: "busy with \(units[r.unit]?.incident?.rawValue ?? "")", into: &actions)
                    return
                }
                if let p = d.pending {
                    d.pending = nil
                    release(p.unit, from: d.incident.id)
                    standDown(p.unit, &d, because: "taken by \(r.unit)", into: &actions)
                }
                accept(r.unit, &d, late: true, now: now, into: &actions)
                progress(r, &d, now: now, into: &actions)
            } else if d.stoodDown.insert(r.unit).inserted {
                actions.append(.warning(site: d.incident.site, code: "unexpected-reply",
                    message: "\(r.unit) answered \(r.incident) (\(r.kind.rawValue)) without being asked"))
            }
        case .declined:
            if d.pending?.unit == r.unit {
                d.pending = nil
                release(r.unit, from: d.incident.id)
                dispatchNext(&d, now: now, reason: "\(r.unit) declined", into: &actions)
            } else if d.assigned == r.unit, let p = d.progress, p < .cleared {
                withdraw(r.unit, &d, now: now, reason: "\(r.unit) withdrew after accepting", into: &actions)
            }
        }
    }

    mutating func accept(_ unit: UnitID, _ d: inout IncidentDispatch, late: Bool, now: Timestamp, into actions: inout [DispatchAction]) {
        if d.pending?.unit == unit { d.pending = nil }
        d.assigned = unit
        d.progress = .accepted
        d.times.accepted = now
        if var r = d.sent, r.unit != unit, let id = d.asked[unit] {
            // A late accept: later updates continue the request this unit answered.
            r.unit = unit
            r.requestID = id
            r.revision = 1
            r.changes = []
            d.sent = r
        }
        units[unit]?.incident = d.incident.id
        var cause = "\(unit) accepted"
        if late { cause += " after its request timed out" }
        if let c = d.central, !c.gaveUp {
            d.central?.nextRetry = nil
            cause += c.delivered ? " (central already notified)" : " (central retries stopped)"
        }
        report(d, .acknowledged(unit: unit), cause: cause, into: &actions)
    }

    /// Moves the assigned unit forward; repeated or out-of-order replies do nothing.
    mutating func progress(_ r: GuardReply, _ d: inout IncidentDispatch, now: Timestamp, into actions: inout [DispatchAction]) {
        let next: IncidentDispatch.Progress
        switch r.kind {
        case .accepted: next = .accepted
        case .enRoute: next = .enRoute
        case .arrived: next = .onSite
        case .cleared: next = .cleared
        case .declined: return
        }
        guard let current = d.progress, current < next else { return }
        d.progress = next
        switch next {
        case .accepted:
            break
        case .enRoute:
            d.times.enRoute = now
            report(d, .enRoute(unit: r.unit), cause: "\(r.unit) en route", into: &actions)
        case .onSite:
            var cause = "\(r.unit) on site"
            d.times.onSite = now
            if let response = d.times.responseTime {
                responseTimes[d.incident.id] = response
                let from = d.times.responseStart == d.times.verified && d.times.verified != d.times.alarm ? "verification" : "alarm"
                cause += ", response time \(Self.duration(response)) from the \(from)"
            }
            units[r.unit]?.atSite = d.incident.site
            report(d, .onSite(unit: r.unit), cause: cause, into: &actions)
        case .cleared:
            var cause = "\(r.unit) cleared"
            if let outcome = r.outcome { cause += ": \(outcome.rawValue)" }
            if let note = r.note, !note.isEmpty { cause += " – \(note)" }
            d.incident.outcome = r.outcome
            d.times.cleared = now
            d.endedAt = now
            d.central?.nextRetry = nil
            release(r.unit, from: d.incident.id)
            report(d, .cleared(unit: r.unit, outcome: r.outcome), cause: cause, into: &actions)
        }
    }

    /// The assigned unit can no longer go: ask the next one.
    mutating func withdraw(_ unit: UnitID, _ d: inout IncidentDispatch, now: Timestamp, reason: String, into actions: inout [DispatchAction]) {
        d.assigned = nil
        d.progress = nil
        release(unit, from: d.incident.id)
        dispatchNext(&d, now: now, reason: reason, into: &actions)
    }

    mutating func unitStatus(_ s: UnitStatusReport, now: Timestamp, into actions: inout [DispatchAction]) {
        guard units[s.unit] != nil else { return }
        units[s.unit]?.reported = s.state
        guard s.state == .offDuty, let id = units[s.unit]?.incident, var d = incidents[id], !d.ended else { return }
        actions.append(.warning(site: d.incident.site, code: "unit-off-duty",
            message: "\(s.unit) went off duty during \(id); asking another unit"))
        if d.pending?.unit == s.unit {
            d.pending = nil
            release(s.unit, from: id)
            dispatchNext(&d, now: now, reason: "\(s.unit) went off duty", into: &actions)
        } else if d.assigned == s.unit {
            withdraw(s.unit, &d, now: now, reason: "\(s.unit) went off duty", into: &actions)
        }
        incidents[id] = d
    }
}
