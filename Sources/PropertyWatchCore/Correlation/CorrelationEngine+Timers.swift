/// Timers and supervision. Every timer acts as of its own deadline, not the tick's `now`.
extension CorrelationEngine {
    mutating func fire(_ timer: TimerEntry, into actions: inout [CorrelationAction]) {
        let at = timer.at
        switch timer.kind {
        case .supervision: supervise(timer.slot, at: at, into: &actions)
        case .restoreDelay:
            guard let pending = state.pending[timer.slot], pending.due == at else { return }
            state.pending[timer.slot] = nil
            let site = tables.devices[pending.device].site
            let d = Detection(
                device: pending.device, site: site, zoneSlot: pending.zoneSlot, zone: pending.zone,
                partition: pending.zoneSlot >= 0 ? tables.zones[pending.zoneSlot].partition : 0, detector: timer.slot)
            let input = Self.trigger("intrusion", tables.devices[pending.device].id, pending.zone) + ", no restore within \((at - pending.at) / 1000) s"
            correlateIntrusion(d, input: input, at: pending.at, now: at, into: &actions)
        case .floodCalm:
            let device = timer.slot
            let flood = state.devices[device].flood
            guard flood.flooding else { return }
            let site = tables.devices[device].site
            let due = flood.lastExcess + rules(site: site).floodCalm.value
            if due > at {
                timers.push(TimerEntry(at: due, kind: .floodCalm, slot: device))
                return
            }
            state.devices[device].flood.flooding = false
            state.devices[device].flood.suppressed = 0
            let summary = "\(tables.devices[device].id) calmed down: \(flood.suppressed) event(s) over the rate suppressed from \(Timestamp(millisecondsSinceEpoch: flood.since).stockholm) to \(Timestamp(millisecondsSinceEpoch: flood.lastExcess).stockholm)"
            actions.append(.warning(site: tables.sites[site].id, code: CorrelationWarning.floodEnded.rawValue, message: summary))
            resolveTechnical(site: site, key: "\(IncidentKind.flood.rawValue):\(tables.devices[device].id)", cause: "resolved: " + summary, now: at, into: &actions)
        case .flapQuiet:
            let key = timer.slot
            let flap = state.flaps[key]
            guard flap.flapping else { return }
            let site = key < tables.zones.count ? tables.zones[key].site : tables.devices[key - tables.zones.count].site
            let rule = tables.flapping(zone: key < tables.zones.count ? key : -1, site: site)
            let due = flap.lastToggle + rule.quiet.value
            if due > at {
                timers.push(TimerEntry(at: due, kind: .flapQuiet, slot: key))
                return
            }
            state.flaps[key].flapping = false
            state.flaps[key].toggles = 0
            state.flaps[key].windowStart = at
            state.flaps[key].suppressed = 0
            let subject = key < tables.zones.count ? tables.zones[key].id.rawValue : tables.devices[key - tables.zones.count].id.rawValue
            let what = key < tables.zones.count ? "zone \(subject)" : subject
            let summary = "\(what) is stable again: \(flap.suppressed) alarm(s) suppressed while flapping"
            actions.append(.warning(site: tables.sites[site].id, code: CorrelationWarning.flappingEnded.rawValue, message: summary))
            resolveTechnical(site: site, key: "\(IncidentKind.flapping.rawValue):\(subject)", cause: "resolved: " + summary, now: at, into: &actions)
        case .silenceExpiry:
            let site = timer.slot
            let stamp = Timestamp(millisecondsSinceEpoch: at)
            let expired = state.sites[site].silences.filter { $0.until <= stamp }
            guard !expired.isEmpty else { return }
            state.sites[site].silences.removeAll { $0.until <= stamp }
            for silence in expired {
                actions.append(.warning(site: silence.site, code: CorrelationWarning.silenceExpired.rawValue,
                                        message: "\(Self.describe(silence)) by \(silence.author) expired"))
            }
        case .verificationExpiry:
            verificationExpired(serial: timer.slot, at: at, into: &actions)
        case .lateToClose:
            checkLateToClose(at: at, into: &actions)
            timers.push(TimerEntry(at: at + max(1, policy.lateToCloseCheckInterval.value), kind: .lateToClose, slot: 0))
        }
    }

    /// An unverified intrusion's wait (verify first) or record window ended without verification.
    private mutating func verificationExpired(serial: Int, at: Int64, into actions: inout [CorrelationAction]) {
        guard let record = state.incidents[serial], record.incident.state == .new,
              record.incident.kind == .unverifiedIntrusion, record.incident.verification == .none
        else { return }
        let policy = rules(site: record.site).unverifiedIntrusion
        let id = record.incident.id
        guard let until = record.awaitingUntil, until == at else {
            let minutes = rules(site: record.site).verificationWindow.value / 60_000
            lifecycle(id, .close, cause: "not verified within \(minutes) min", now: at, into: &actions)
            return
        }
        state.incidents[serial]?.awaitingUntil = nil
        let waited = "not verified within \(policy.wait.value / 60_000) min (verify first)"
        switch policy.action {
        case .dispatch:
            actions.append(.transition(IncidentTransition(
                incident: id, site: record.incident.site, from: .new, to: .new, priority: record.incident.priority,
                cause: "\(waited): dispatching as unverified", time: Timestamp(millisecondsSinceEpoch: at), kind: record.incident.kind)))
            actions.append(.dispatch(record.incident))
        case .directedCheck:
            actions.append(.transition(IncidentTransition(
                incident: id, site: record.incident.site, from: .new, to: .new, priority: record.incident.priority,
                cause: "\(waited): directed check requested", time: Timestamp(millisecondsSinceEpoch: at), kind: record.incident.kind)))
            actions.append(.directedCheck(site: record.incident.site, incident: id, reason: "unverified intrusion, \(waited)"))
        case .record:
            lifecycle(id, .close, cause: waited, now: at, into: &actions)
        }
    }

    /// Closes the open technical incident `key` at `site` (the fault is over).
    mutating func resolveTechnical(site: Int, key: String, cause: String, now: Int64, into actions: inout [CorrelationAction]) {
        guard let serial = state.sites[site].technical[key], let record = state.incidents[serial],
              !IncidentLifecycle.isTerminal(record.incident.state)
        else { return }
        lifecycle(record.incident.id, .close, cause: cause, now: now, into: &actions)
    }

    /// Any message from a device proves it alive; a device in supervision fault is restored and
    /// its fault incident resolved, with the outage and its probable cause.
    mutating func seen(_ device: Int, now: Int64, into actions: inout [CorrelationAction]) {
        state.live[device].lastSeen = now
        guard state.live[device].offline else { return }
        state.live[device].offline = false
        let site = tables.devices[device].site
        state.sites[site].offline -= 1
        state.sites[site].communicationFailureRaised = false
        let since = state.live[device].offlineSince
        timers.push(TimerEntry(at: now + supervisionLimit(device), kind: .supervision, slot: device))
        let id = tables.devices[device].id
        actions.append(.warning(site: tables.sites[site].id, code: CorrelationWarning.deviceRestored.rawValue, message: "\(id) is back"))
        var cause = "resolved: \(id) heard again after \((now - since) / 60_000) min in fault (from \(Timestamp(millisecondsSinceEpoch: since).stockholm) to \(Timestamp(millisecondsSinceEpoch: now).stockholm))"
        var explained = false
        if let trouble = state.sites[site].lastTrouble, trouble.at >= since - supervisionLimit(device) {
            cause += "; probable cause: \(Self.describe(trouble.kind)) reported by \(tables.devices[trouble.device].id)"
            explained = true
        }
        let key = "\(IncidentKind.supervision.rawValue):\(id)"
        if let serial = state.sites[site].technical[key], let record = state.incidents[serial] {
            state.live[device].lastOutage = Outage(
                from: since, until: now, incident: record.incident.id, priority: record.incident.priority, explained: explained)
        }
        resolveTechnical(site: site, key: key, cause: cause, now: now, into: &actions)
        if state.sites[site].offline == 0 {
            resolveTechnical(site: site, key: "\(IncidentKind.communicationFailure.rawValue):site", cause: "resolved: devices heard again", now: now, into: &actions)
        }
    }

    /// How long a supervised device may be silent: missed intervals plus the grace.
    func supervisionLimit(_ device: Int) -> Int64 {
        let rules = rules(site: tables.devices[device].site)
        return tables.devices[device].heartbeat * max(1, rules.supervisionMissed) + max(0, rules.supervisionGrace.value)
    }

    private mutating func supervise(_ device: Int, at: Int64, into actions: inout [CorrelationAction]) {
        let heartbeat = tables.devices[device].heartbeat
        guard heartbeat > 0, !state.live[device].offline else { return }
        let site = tables.devices[device].site
        let rules = rules(site: site)
        let limit = supervisionLimit(device)
        let due = state.live[device].lastSeen + limit
        if due > at {
            timers.push(TimerEntry(at: due, kind: .supervision, slot: device))
            return
        }
        state.live[device].offline = true
        state.live[device].offlineSince = at
        state.sites[site].offline += 1
        let id = tables.devices[device].id
        let siteID = tables.sites[site].id
        let missed = max(1, rules.supervisionMissed)
        let category = tables.devices[device].category.map { " (\($0.rawValue))" } ?? ""
        let what = "\(id): no message for \(missed) × \(heartbeat / 1000) s\(category) + \(rules.supervisionGrace.value / 1000) s grace"
        actions.append(.warning(site: siteID, code: CorrelationWarning.deviceOffline.rawValue, message: what))
        var c = Contribution(kind: .supervision, priority: rules.priority(.supervision), zone: tables.devices[device].zone,
                             trigger: "supervision fault: " + what)
        c.technicalSubject = id.rawValue
        let outcome = openOrMerge(site: site, c, now: at, into: &actions)
        var supervisionOutcome = outcome
        if rules.supervisionDirectedCheck, outcome.verdict == .incident, let incident = outcome.incident {
            actions.append(.directedCheck(site: siteID, incident: incident, reason: "supervision fault: \(id) silent"))
            supervisionOutcome.reason += "; the patrol is asked to check the site (supervision.directed_check)"
        }
        decide(site: site, device: device, zone: tables.devices[device].zone, input: "no message from \(id) since \(Timestamp(millisecondsSinceEpoch: state.live[device].lastSeen).stockholm)",
               supervisionOutcome, rule: "supervision: \(missed) missed intervals of \(heartbeat / 1000) s\(category) + \(rules.supervisionGrace.value / 1000) s grace",
               now: at, into: &actions)

        let supervised = tables.sites[site].supervised
        guard !state.sites[site].communicationFailureRaised, state.sites[site].offline == supervised.count,
              supervised.count >= rules.communicationFailureMinDevices
        else { return }
        var first = Int64.max, last = Int64.min, interval: Int64 = 0
        for slot in supervised {
            first = min(first, state.live[slot].lastSeen)
            last = max(last, state.live[slot].lastSeen)
            interval = max(interval, tables.devices[slot].heartbeat)
        }
        guard last - first <= interval else { return }
        state.sites[site].communicationFailureRaised = true
        actions.append(.warning(site: siteID, code: CorrelationWarning.communicationFailure.rawValue,
                                message: "all \(supervised.count) supervised devices fell silent together (possible sabotage)"))
        var failure = Contribution(
            kind: .communicationFailure, priority: rules.priority(.communicationFailure),
            trigger: "communication failure: all \(supervised.count) supervised devices silent")
        failure.technicalSubject = "site"
        let failed = openOrMerge(site: site, failure, now: at, into: &actions)
        decide(site: site, device: nil, input: "all \(supervised.count) supervised devices silent, last heard within \(interval / 1000) s of each other",
               failed, rule: "communication failure: at least \(rules.communicationFailureMinDevices) supervised devices silent together", now: at, into: &actions)
    }

    /// A late-to-close incident for each partition still unset past its arm deadline (its own
    /// calendar's, else the site's); resolved when the partition is set.
    private mutating func checkLateToClose(at: Int64, into actions: inout [CorrelationAction]) {
        guard !state.unsetPartitions.isEmpty else { return }
        let stamp = Timestamp(millisecondsSinceEpoch: at)
        for ref in state.unsetPartitions.sorted() {
            let site = ref.site, p = ref.partition
            guard case .unset(let since) = state.sites[site].partitions[p].arm else { continue }
            let id = tables.sites[site].id
            let partition = tables.sites[site].partitions[p]
            guard schedule.expectedArmed(site: id, partition: partition, at: stamp) else {
                // Open by its calendar again: a late-to-close still open ends with the night.
                if let serial = state.sites[site].partitions[p].lateIncident, let record = state.incidents[serial] {
                    state.sites[site].partitions[p].lateIncident = nil
                    lifecycle(record.incident.id, .close, cause: "resolved: partition \(partition) is open by its calendar again; it was never set",
                              now: at, into: &actions)
                }
                state.sites[site].partitions[p].lateRaised = false
                continue
            }
            guard !state.sites[site].partitions[p].lateRaised else { continue }
            // Unset while the calendar already expected it set: an opening outside hours,
            // judged by the users' windows, not late to close.
            guard !schedule.expectedArmed(site: id, partition: partition, at: Timestamp(millisecondsSinceEpoch: since)) else { continue }
            state.sites[site].partitions[p].lateRaised = true
            let who = state.sites[site].partitions[p].by.map { " by \(userDescription(site: site, $0))" } ?? ""
            let message = "partition \(partition) of \(id) is still unset after its arm deadline (unset since \(Timestamp(millisecondsSinceEpoch: since).stockholm)\(who))"
            actions.append(.warning(site: id, code: CorrelationWarning.lateToClose.rawValue, message: message))
            var c = Contribution(kind: .lateToClose, priority: rules(site: site).priority(.lateToClose), trigger: "late to close: " + message)
            c.technicalSubject = partition.rawValue
            var outcome = openOrMerge(site: site, c, now: at, into: &actions)
            if let incident = outcome.incident { state.sites[site].partitions[p].lateIncident = state.serials[incident] }
            let check = rules(site: site).lateToCloseCheck
            if outcome.verdict == .incident, let incident = outcome.incident {
                switch check {
                case .off: break
                case .propose:
                    actions.append(.warning(site: id, code: CorrelationWarning.checkProposed.rawValue,
                                            message: "\(incident): a directed check of \(id) is proposed (partition \(partition) still unset); confirm it with a directed check"))
                    outcome.reason += "; a directed check is proposed to the operators"
                case .check:
                    actions.append(.directedCheck(site: id, incident: incident, reason: "late to close: partition \(partition) still unset"))
                    outcome.reason += "; the patrol is asked to check the site"
                }
            }
            decide(site: site, device: nil, partition: p, input: "partition \(partition) unset since \(Timestamp(millisecondsSinceEpoch: since).stockholm)\(who)",
                   outcome, rule: "late to close: the partition's arm deadline (arm_by, arm_grace_minutes); late_to_close_check \(check.rawValue)", now: at, into: &actions)
        }
    }
}
