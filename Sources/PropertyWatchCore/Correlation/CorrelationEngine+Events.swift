/// Alarm events, camera triggers and check-ins.
extension CorrelationEngine {
    mutating func handleAlarm(_ event: AlarmEvent, _ ref: DeviceRef, now: Int64, into actions: inout [CorrelationAction]) {
        let device = Int(ref.slot)
        seen(device, now: now, into: &actions)
        let idHash = StringHash.hash(event.eventID)
        switch state.devices[device].sequence.admit(sequence: event.sequence, idHash: idHash) {
        case .duplicate:
            state.counters.duplicates += 1
            return
        case .fresh: break
        case .late: state.counters.lateEvents += 1
        case .reset: state.counters.sequenceResets += 1
        case .gap(let from, let to):
            state.counters.sequenceGaps += 1
            actions.append(.warning(site: event.site, code: CorrelationWarning.possibleLostEvents.rawValue,
                                    message: "\(event.device): sequence jumped from \(from) to \(to), \(to - from - 1) event(s) possibly lost"))
        }
        guard admitFlood(ref, now: now, into: &actions) else { return }
        let site = Int(ref.site)
        switch event.eventClass {
        case .open: setPanel(site: site, armed: false, now: now)
        case .close: setPanel(site: site, armed: true, now: now)
        case .test, .bypass: state.counters.ignored += 1
        case .intrusion: intrusion(event, ref, now: now, into: &actions)
        case .fire, .holdUp, .tamper, .trouble:
            if event.isRestore {
                state.counters.ignored += 1
                return
            }
            let priority: IncidentPriority = switch event.eventClass {
            case .fire: .fire
            case .holdUp: .holdUp
            case .tamper: .tamper
            default: .trouble
            }
            let lifeSafety = priority >= .holdUp
            let zone = event.zone ?? tables.devices[device].zone
            let c = Contribution(priority: priority, zone: zone, trigger: Self.trigger(event.eventClass.rawValue, event.device, zone))
            if suppressed(c, device: device, site: site, lifeSafety: lifeSafety, now: now, into: &actions) { return }
            openOrMerge(site: site, c, now: now, into: &actions)
        }
    }

    private mutating func intrusion(_ event: AlarmEvent, _ ref: DeviceRef, now: Int64, into actions: inout [CorrelationAction]) {
        let device = Int(ref.slot), site = Int(ref.site), siteRules = Int(ref.rules)
        let armed = isArmed(site: site, now: now)
        if event.isRestore {
            if armed { _ = flap(ref, alarm: false, now: now, into: &actions) }
            if state.live[device].hasPending {
                state.live[device].hasPending = false
                state.pending[device] = nil
                state.counters.restoreCancelled += 1
            } else {
                state.counters.ignored += 1
            }
            return
        }
        let zone = event.zone ?? tables.devices[device].zone
        if armed, flap(ref, alarm: true, now: now, into: &actions) { return }
        if !armed {
            state.counters.alarmsWhileUnset += 1
            if tables.rules[siteRules].alarmWhileUnset == .lowPriority {
                openOrMerge(site: site, Contribution(
                    priority: .trouble, zone: zone,
                    trigger: "alarm while unset: " + Self.trigger("intrusion", event.device, zone)), now: now, into: &actions)
            }
            return
        }
        let c = Contribution(priority: .unverifiedIntrusion, zone: zone, trigger: Self.trigger("intrusion", event.device, zone))
        if suppressed(c, device: device, site: site, lifeSafety: false, now: now, into: &actions) { return }
        if let delay = tables.devices[device].restoreDelay(for: .intrusion) {
            if !state.live[device].hasPending {
                state.live[device].hasPending = true
                state.pending[device] = PendingAlarm(eventClass: .intrusion, zone: zone, at: now, due: now + delay)
                timers.push(TimerEntry(at: now + delay, kind: .restoreDelay, slot: device))
            } else {
                state.counters.duplicates += 1
            }
            return
        }
        correlateIntrusion(device: device, zone: zone, at: now, now: now, into: &actions)
    }

    /// Sequential and video verification of an intrusion that happened at `at`, decided at `now`.
    mutating func correlateIntrusion(device: Int, zone: ZoneID?, at: Int64, now: Int64, into actions: inout [CorrelationAction]) {
        let site = tables.devices[device].site
        let rules = tables.sites[site].rules
        let window = tables.rules[rules].verificationWindow.value
        let videoWindow = tables.rules[rules].videoWindow.value
        var verification = Verification.none
        var snapshot: String?
        var by = ""
        if let zone {
            for camera in state.sites[site].cameras where abs(at - camera.at) <= videoWindow && covers(camera, zone) {
                verification = .video
                snapshot = camera.snapshot
                by = " (verified by \(tables.devices[camera.device].id))"
            }
        }
        if verification == .none {
            for other in state.sites[site].intrusions where other.device != device && at - other.at <= window && other.at <= at {
                verification = .sequential
                by = " (verified by \(tables.devices[other.device].id))"
                break
            }
        }
        let keep = max(window, videoWindow)
        state.sites[site].intrusions.removeAll { at - $0.at > keep }
        if state.sites[site].intrusions.count >= 8 { state.sites[site].intrusions.removeFirst() }
        state.sites[site].intrusions.append(RecentIntrusion(device: device, zone: zone, at: at))
        openOrMerge(site: site, Contribution(
            priority: verification == .none ? .unverifiedIntrusion : .verifiedIntrusion, verification: verification,
            zone: zone, trigger: Self.trigger("intrusion", tables.devices[device].id, zone) + by, snapshot: snapshot),
            now: now, into: &actions)
    }

    mutating func handleCamera(_ trigger: CameraTrigger, _ ref: DeviceRef, now: Int64, into actions: inout [CorrelationAction]) {
        let device = Int(ref.slot)
        seen(device, now: now, into: &actions)
        guard trigger.label == .person || trigger.label == .vehicle else {
            state.counters.ignored += 1
            return
        }
        let idHash = StringHash.hash(trigger.eventID)
        guard state.devices[device].sequence.admit(idHash: idHash) else {
            state.counters.duplicates += 1
            return
        }
        guard admitFlood(ref, now: now, into: &actions) else { return }
        let site = Int(ref.site)
        let label = trigger.label.rawValue
        let camera = RecentCamera(device: device, zones: trigger.zones, at: now, snapshot: trigger.snapshot)
        let contribution = Contribution(
            priority: .vandalism, verification: .video, zone: trigger.zones.first ?? tables.devices[device].coverage.first,
            trigger: "\(label) \(trigger.camera)", snapshot: trigger.snapshot)
        if suppressed(contribution, device: device, site: site, lifeSafety: false, now: now, into: &actions) { return }
        let rules = tables.sites[site].rules
        let videoWindow = tables.rules[rules].videoWindow.value
        state.sites[site].cameras.removeAll { now - $0.at > videoWindow }
        if state.sites[site].cameras.count >= 8 { state.sites[site].cameras.removeFirst() }
        state.sites[site].cameras.append(camera)
        for intrusion in state.sites[site].intrusions where now - intrusion.at <= videoWindow {
            guard let zone = intrusion.zone, covers(camera, zone) else { continue }
            openOrMerge(site: site, Contribution(
                priority: .verifiedIntrusion, verification: .video, zone: zone,
                trigger: "\(label) \(trigger.camera) verifies " + Self.trigger("intrusion", tables.devices[intrusion.device].id, zone),
                snapshot: trigger.snapshot), now: now, into: &actions)
            return
        }
        if tables.sites[site].kind == .civic, !schedule.isOpen(site: tables.sites[site].id, at: Timestamp(millisecondsSinceEpoch: now)) {
            var c = contribution
            c.trigger += " outside opening hours"
            openOrMerge(site: site, c, now: now, into: &actions)
        }
    }

    func covers(_ camera: RecentCamera, _ zone: ZoneID) -> Bool {
        tables.devices[camera.device].coverage.contains(zone) || camera.zones.contains(zone)
    }

    mutating func handleCheckIn(_ checkIn: CheckIn, now: Int64) {
        guard let site = tables.siteSlots[checkIn.site] else { return }
        state.sites[site].present.removeAll { $0.unit == checkIn.unit }
        if checkIn.present { state.sites[site].present.append(Presence(unit: checkIn.unit, since: now)) }
    }

    // MARK: - Rules shared by alarms and cameras

    /// Whether the site counts as armed: its panel's last open/close, else its schedule.
    func isArmed(site: Int, now: Int64) -> Bool {
        switch state.sites[site].panel {
        case .armed: true
        case .unset: false
        case .unknown: schedule.expectedArmed(site: tables.sites[site].id, at: Timestamp(millisecondsSinceEpoch: now))
        }
    }

    private mutating func setPanel(site: Int, armed: Bool, now: Int64) {
        if armed {
            if case .armed = state.sites[site].panel { return }
            state.sites[site].panel = .armed(since: now)
            state.unsetSites.remove(site)
        } else {
            if case .unset = state.sites[site].panel { return }
            state.sites[site].panel = .unset(since: now)
            state.sites[site].lateWarned = false
            state.unsetSites.insert(site)
        }
    }

    /// Guard presence and silences: records the event as attributed and returns true.
    private mutating func suppressed(_ c: Contribution, device: Int, site: Int, lifeSafety: Bool, now: Int64, into actions: inout [CorrelationAction]) -> Bool {
        if !state.sites[site].silences.isEmpty {
            let at = Timestamp(millisecondsSinceEpoch: now)
            let id = tables.devices[device].id
            if let silence = state.sites[site].silences.first(where: { $0.covers(device: id, zone: c.zone, lifeSafety: lifeSafety, at: at) }) {
                state.counters.silenced += 1
                recordAttributed(site: site, c, cause: "silenced by \(silence.author): \(silence.reason)", now: now, into: &actions)
                return true
            }
        }
        if !lifeSafety, !state.sites[site].present.isEmpty {
            let rules = tables.sites[site].rules
            guard tables.rules[rules].guardPresenceAttributes else { return false }
            let timeout = tables.rules[rules].guardPresenceTimeout.value
            if let presence = state.sites[site].present.first(where: { now - $0.since <= timeout && $0.since <= now }) {
                state.counters.attributed += 1
                recordAttributed(site: site, c, cause: "attributed to \(presence.unit)", now: now, into: &actions)
                return true
            }
        }
        return false
    }

    /// The token bucket: false when the device is over its rate (the event is dropped, counted).
    private mutating func admitFlood(_ ref: DeviceRef, now: Int64, into actions: inout [CorrelationAction]) -> Bool {
        let device = Int(ref.slot), site = Int(ref.site), rules = Int(ref.rules)
        if state.devices[device].flood.take(
            now: now, ratePerMinute: tables.rules[rules].floodRatePerMinute, burst: tables.rules[rules].floodBurst)
        {
            return true
        }
        state.counters.floodSuppressed += 1
        state.devices[device].flood.suppressed += 1
        state.devices[device].flood.lastExcess = now
        if !state.devices[device].flood.flooding {
            state.devices[device].flood.flooding = true
            state.devices[device].flood.since = now
            state.devices[device].flood.suppressed = 1
            timers.push(TimerEntry(at: now + tables.rules[rules].floodCalm.value, kind: .floodCalm, slot: device))
            let id = tables.devices[device].id
            actions.append(.warning(site: tables.sites[site].id, code: CorrelationWarning.flood.rawValue,
                                    message: "\(id) is flooding: events over \(tables.rules[rules].floodRatePerMinute)/min are counted, not correlated"))
            openOrMerge(site: site, Contribution(priority: .trouble, zone: tables.devices[device].zone, trigger: "flood from \(id)"), now: now, into: &actions)
        }
        return false
    }

    /// Flapping hysteresis: true when the alarm must be suppressed.
    private mutating func flap(_ ref: DeviceRef, alarm: Bool, now: Int64, into actions: inout [CorrelationAction]) -> Bool {
        let device = Int(ref.slot), rules = Int(ref.rules)
        let new: UInt8 = alarm ? 1 : 2
        let changed = state.devices[device].flap.last != 0 && state.devices[device].flap.last != new
        state.devices[device].flap.last = new
        if changed {
            if now - state.devices[device].flap.windowStart > tables.rules[rules].flapWindow.value {
                state.devices[device].flap.windowStart = now
                state.devices[device].flap.toggles = 0
            }
            state.devices[device].flap.toggles += 1
            state.devices[device].flap.lastToggle = now
            if !state.devices[device].flap.flapping, state.devices[device].flap.toggles >= Int32(clamping: tables.rules[rules].flapToggles) {
                state.devices[device].flap.flapping = true
                state.devices[device].flap.suppressed = 0
                timers.push(TimerEntry(at: now + tables.rules[rules].flapQuiet.value, kind: .flapQuiet, slot: device))
                let id = tables.devices[device].id
                actions.append(.warning(site: tables.sites[tables.devices[device].site].id, code: CorrelationWarning.flapping.rawValue,
                                        message: "\(id) is flapping: its alarms are suppressed until it is quiet"))
            }
        }
        guard state.devices[device].flap.flapping else { return false }
        if alarm {
            state.devices[device].flap.suppressed += 1
            state.counters.flapSuppressed += 1
        }
        if state.live[device].hasPending {
            state.live[device].hasPending = false
            state.pending[device] = nil
        }
        return true
    }

    static func trigger(_ what: String, _ device: DeviceID, _ zone: ZoneID?) -> String {
        zone.map { "\(what) \(device) (zone \($0))" } ?? "\(what) \(device)"
    }
}
