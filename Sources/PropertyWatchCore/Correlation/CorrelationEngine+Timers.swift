/// Timers and supervision. Every timer acts as of its own deadline, not the tick's `now`.
extension CorrelationEngine {
    mutating func fire(_ timer: TimerEntry, into actions: inout [CorrelationAction]) {
        let at = timer.at
        switch timer.kind {
        case .supervision: supervise(timer.slot, at: at, into: &actions)
        case .restoreDelay:
            guard let pending = state.pending[timer.slot], pending.due == at else { return }
            state.pending[timer.slot] = nil
            state.live[timer.slot].hasPending = false
            correlateIntrusion(device: timer.slot, zone: pending.zone, at: pending.at, now: at, into: &actions)
        case .floodCalm:
            let device = timer.slot
            let flood = state.devices[device].flood
            guard flood.flooding else { return }
            let site = tables.devices[device].site
            let due = flood.lastExcess + tables.rules[tables.sites[site].rules].floodCalm.value
            if due > at {
                timers.push(TimerEntry(at: due, kind: .floodCalm, slot: device))
                return
            }
            state.devices[device].flood.flooding = false
            state.devices[device].flood.suppressed = 0
            actions.append(.warning(site: tables.sites[site].id, code: CorrelationWarning.floodEnded.rawValue,
                                    message: "\(tables.devices[device].id) calmed down: \(flood.suppressed) event(s) over the rate suppressed from \(flood.since) to \(flood.lastExcess)"))
        case .flapQuiet:
            let device = timer.slot
            let flap = state.devices[device].flap
            guard flap.flapping else { return }
            let site = tables.devices[device].site
            let due = flap.lastToggle + tables.rules[tables.sites[site].rules].flapQuiet.value
            if due > at {
                timers.push(TimerEntry(at: due, kind: .flapQuiet, slot: device))
                return
            }
            state.devices[device].flap.flapping = false
            state.devices[device].flap.toggles = 0
            state.devices[device].flap.windowStart = at
            state.devices[device].flap.suppressed = 0
            actions.append(.warning(site: tables.sites[site].id, code: CorrelationWarning.flappingEnded.rawValue,
                                    message: "\(tables.devices[device].id) is stable again: \(flap.suppressed) alarm(s) suppressed while flapping"))
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
            guard let record = state.incidents[timer.slot], record.incident.state == .new,
                  record.incident.priority == .unverifiedIntrusion, record.incident.verification == .none
            else { return }
            let minutes = tables.rules[tables.sites[record.site].rules].verificationWindow.value / 60_000
            lifecycle(record.incident.id, .close, cause: "not verified within \(minutes) min", now: at, into: &actions)
        case .lateToClose:
            checkLateToClose(at: at, into: &actions)
            timers.push(TimerEntry(at: at + max(1, policy.lateToCloseCheckInterval.value), kind: .lateToClose, slot: 0))
        }
    }

    /// Any message from a device proves it alive; an offline one is restored.
    mutating func seen(_ device: Int, now: Int64, into actions: inout [CorrelationAction]) {
        state.live[device].lastSeen = now
        guard state.live[device].offline else { return }
        state.live[device].offline = false
        let site = tables.devices[device].site
        state.sites[site].offline -= 1
        state.sites[site].communicationFailureRaised = false
        let missed = tables.rules[tables.sites[site].rules].heartbeatMissedIntervals
        timers.push(TimerEntry(at: now + tables.devices[device].heartbeat * max(1, missed), kind: .supervision, slot: device))
        actions.append(.warning(site: tables.sites[site].id, code: CorrelationWarning.deviceRestored.rawValue,
                                message: "\(tables.devices[device].id) is back"))
    }

    private mutating func supervise(_ device: Int, at: Int64, into actions: inout [CorrelationAction]) {
        let heartbeat = tables.devices[device].heartbeat
        guard heartbeat > 0, !state.live[device].offline else { return }
        let site = tables.devices[device].site
        let rules = tables.sites[site].rules
        let missed = max(1, tables.rules[rules].heartbeatMissedIntervals)
        let due = state.live[device].lastSeen + heartbeat * missed
        if due > at {
            timers.push(TimerEntry(at: due, kind: .supervision, slot: device))
            return
        }
        state.live[device].offline = true
        state.sites[site].offline += 1
        let id = tables.devices[device].id
        let siteID = tables.sites[site].id
        actions.append(.warning(site: siteID, code: CorrelationWarning.deviceOffline.rawValue,
                                message: "\(id): no message for \(missed) × \(heartbeat / 1000) s"))
        openOrMerge(site: site, Contribution(priority: .trouble, zone: tables.devices[device].zone, trigger: "\(id) offline"), now: at, into: &actions)

        let supervised = tables.sites[site].supervised
        guard !state.sites[site].communicationFailureRaised, state.sites[site].offline == supervised.count,
              supervised.count >= tables.rules[rules].communicationFailureMinDevices
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
        openOrMerge(site: site, Contribution(
            priority: tables.rules[rules].communicationFailurePriority,
            trigger: "communication failure: all \(supervised.count) supervised devices silent"), now: at, into: &actions)
    }

    /// One warning per evening for each site whose panel is unset although its schedule
    /// expects it armed since at least the grace period (and unset for that long).
    private mutating func checkLateToClose(at: Int64, into actions: inout [CorrelationAction]) {
        guard !state.unsetSites.isEmpty else { return }
        let stamp = Timestamp(millisecondsSinceEpoch: at)
        for site in state.unsetSites.sorted() {
            guard case .unset(let since) = state.sites[site].panel else { continue }
            let id = tables.sites[site].id
            guard schedule.expectedArmed(site: id, at: stamp) else {
                state.sites[site].lateWarned = false
                continue
            }
            let grace = tables.rules[tables.sites[site].rules].lateToCloseGrace.value
            guard !state.sites[site].lateWarned, at - since >= grace,
                  schedule.expectedArmed(site: id, at: Timestamp(millisecondsSinceEpoch: at - grace))
            else { continue }
            state.sites[site].lateWarned = true
            actions.append(.warning(site: id, code: CorrelationWarning.lateToClose.rawValue,
                                    message: "\(id) is still unset \(grace / 60_000) min after its scheduled close"))
        }
    }
}
