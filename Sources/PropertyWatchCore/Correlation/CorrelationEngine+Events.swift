/// Alarm events, camera detections and check-ins: which rule decides each, and what it decides.
extension CorrelationEngine {
    /// Where an alarm event lands: its detector, zone and partition, resolved once.
    struct Detection {
        var device: Int
        var site: Int
        /// Zone slot, or -1 when the event names no configured zone.
        var zoneSlot: Int
        var zone: ZoneID?
        /// Index into the site's partitions; -1 for an arm change of all of them.
        var partition: Int
        /// Flapping and restore-cancel key: the zone slot, or zone count + device slot.
        var detector: Int
    }

    func detection(_ event: AlarmEvent, _ ref: DeviceRef) -> Detection {
        let device = Int(ref.slot), site = Int(ref.site)
        let configured = tables.devices[device].zone
        let zone = event.zone ?? configured
        // The device's own zone (the common case) has its slot precomputed, and another zone
        // of the site comes with the slot the decoder resolved it to: no hashing.
        let zoneSlot: Int
        if zone == configured {
            zoneSlot = tables.devices[device].zoneSlot
        } else if let zone, tables.zone(event.slot.zone, is: zone, at: site) {
            zoneSlot = Int(event.slot.zone)
        } else {
            zoneSlot = zone.flatMap { tables.sites[site].zones[$0] } ?? -1
        }
        var partition = zoneSlot >= 0 ? tables.zones[zoneSlot].partition : 0
        if let p = event.partition, let index = tables.sites[site].partitionIndex(p) { partition = index }
        return Detection(
            device: device, site: site, zoneSlot: zoneSlot, zone: zone, partition: partition,
            detector: zoneSlot >= 0 ? zoneSlot : tables.zones.count + device)
    }

    mutating func handleAlarm(_ event: AlarmEvent, _ ref: DeviceRef, now: Int64, into actions: inout [CorrelationAction]) {
        let device = Int(ref.slot)
        if event.late { noteBufferedTrouble(event, device: device) }
        seen(device, now: now, into: &actions)
        let d = detection(event, ref)
        let idHash = ByteHash.hash(event.eventID)
        switch state.devices[device].sequence.admit(sequence: event.sequence, idHash: idHash, part: event.part) {
        case .duplicate:
            state.counters.duplicates += 1
            decide(event, d, .duplicate, rule: "deduplication", reason: "sequence \(event.sequence) or event id \(event.eventID) seen before", now: now, into: &actions)
            return
        case .fresh: break
        case .late: state.counters.lateEvents += 1
        case .reset: state.counters.sequenceResets += 1
        case .gap(let from, let to):
            state.counters.sequenceGaps += 1
            let lost = SequenceTracker.distance(from: from, to: to) - 1
            let missing = SequenceTracker.missing(from: from, to: to).map(String.init).joined(separator: ", ")
                + (lost > 20 ? ", …" : "")
            actions.append(.warning(site: event.site, code: CorrelationWarning.possibleLostEvents.rawValue,
                                    message: "\(event.device): sequence jumped from \(from) to \(to), \(lost) event(s) possibly lost: \(missing)"))
            var gap = Contribution(kind: .sequenceGap, priority: rules(site: d.site).priority(.sequenceGap), zone: nil,
                                   trigger: "sequence gap at \(event.device): missing \(missing)")
            gap.technicalSubject = event.device.rawValue
            let outcome = openOrMerge(site: d.site, gap, now: now, into: &actions)
            decide(site: d.site, device: device, input: "\(Self.describe(event)) after \(from)", outcome,
                   rule: "sequence gap: \(lost) number(s) skipped (DC-09 wraps 9999 → 0001)", now: now, into: &actions)
        }
        // A device's buffer arrives in a burst: it is not counted against its flood rate.
        if event.late {
            lateEvent(event, d, now: now, into: &actions)
            return
        }
        guard admitFlood(ref, now: now, into: &actions) else {
            decide(event, d, .flood, rule: "flood: \(rules(site: d.site).floodRatePerMinute)/min, burst \(rules(site: d.site).floodBurst)",
                   reason: "\(event.device) is over its rate", now: now, into: &actions)
            return
        }
        switch event.eventClass {
        case .open, .close: armChange(event, d, now: now, into: &actions)
        case .test, .bypass:
            state.counters.ignored += 1
            decide(event, d, .ignored, rule: "no rule", reason: "\(event.eventClass.rawValue) reports are recorded only", now: now, into: &actions)
        case .intrusion: intrusion(event, d, now: now, into: &actions)
        case .fire, .holdUp, .tamper, .trouble:
            if event.isRestore {
                state.counters.ignored += 1
                decide(event, d, .ignored, rule: "no rule", reason: "a restore of \(event.eventClass.rawValue) ends nothing by itself", now: now, into: &actions)
                return
            }
            if event.eventClass == .trouble {
                state.sites[d.site].lastTrouble = LastTrouble(kind: event.trouble ?? .general, device: device, at: now)
            }
            let kind: IncidentKind = switch event.eventClass {
            case .fire: .fire
            case .holdUp: .holdUp
            case .tamper: .tamper
            default: .trouble
            }
            let lifeSafety = kind == .fire || kind == .holdUp
            var c = Contribution(kind: kind, priority: rules(site: d.site).priority(kind), zone: d.zone,
                                 trigger: Self.trigger(event.eventClass.rawValue, event.device, d.zone))
            if kind == .trouble {
                c.technicalSubject = "\(event.device):\(event.trouble?.rawValue ?? "general")"
                c.trigger = "trouble (\(event.trouble?.rawValue ?? "general")) from \(event.device)"
            }
            if suppressed(c, event, d, lifeSafety: lifeSafety, now: now, into: &actions) { return }
            let outcome = openOrMerge(site: d.site, c, now: now, into: &actions)
            decide(event, d, outcome.verdict, rule: "\(kind.rawValue): priority \(c.priority.name)",
                   reason: outcome.reason, incident: outcome.incident, now: now, into: &actions)
        }
    }

    // MARK: - Intrusions

    private mutating func intrusion(_ event: AlarmEvent, _ d: Detection, now: Int64, into actions: inout [CorrelationAction]) {
        let armed = isArmed(site: d.site, partition: d.partition, now: now)
        if event.isRestore {
            if armed { _ = flapChange(d, alarm: false, now: now, into: &actions) }
            if let pending = state.pending.removeValue(forKey: d.detector) {
                state.counters.restoreCancelled += 1
                decide(event, d, .restoreCancelled, rule: "restore-cancel \((pending.due - pending.at) / 1000) s",
                       reason: "restored \(now - pending.at) ms after the alarm", now: now, into: &actions)
            } else {
                state.counters.ignored += 1
            }
            return
        }
        if armed, flapChange(d, alarm: true, now: now, into: &actions) {
            let rule = tables.flapping(zone: d.zoneSlot, site: d.site)
            decide(event, d, .flapping, rule: Self.describe(rule),
                   reason: "\(d.zone.map { "zone \($0)" } ?? "\(event.device)") is flapping; \(state.flaps[d.detector].suppressed) alarm(s) suppressed",
                   now: now, into: &actions)
            return
        }
        let partitionName = tables.sites[d.site].partitions[d.partition]
        if !armed {
            state.counters.alarmsWhileUnset += 1
            let policy = rules(site: d.site).alarmWhileUnset
            var incident: IncidentID?
            if policy == .incident {
                var c = Contribution(kind: .alarmWhileUnset, priority: rules(site: d.site).priority(.alarmWhileUnset), zone: d.zone,
                                     trigger: "alarm while unset: " + Self.trigger("intrusion", event.device, d.zone))
                c.technicalSubject = d.zone?.rawValue ?? event.device.rawValue
                incident = openOrMerge(site: d.site, c, now: now, into: &actions).incident
            }
            decide(event, d, .unset, rule: "alarm-while-unset: \(policy.rawValue)",
                   reason: "partition \(partitionName) is \(armDescription(site: d.site, partition: d.partition, now: now))",
                   incident: incident, now: now, into: &actions)
            return
        }
        let c = Contribution(kind: .unverifiedIntrusion, priority: rules(site: d.site).priority(.unverifiedIntrusion), zone: d.zone,
                             trigger: Self.trigger("intrusion", event.device, d.zone))
        if suppressed(c, event, d, lifeSafety: false, now: now, into: &actions) { return }
        let delay = tables.restoreDelay(device: d.device, zone: d.zoneSlot)
        if delay > 0 {
            if state.pending[d.detector] == nil {
                state.pending[d.detector] = PendingAlarm(device: d.device, zone: d.zone, zoneSlot: d.zoneSlot, at: now, due: now + delay)
                timers.push(TimerEntry(at: now + delay, kind: .restoreDelay, slot: d.detector))
                decide(event, d, .heldForRestore, rule: "restore-cancel \(delay / 1000) s",
                       reason: "waiting for a restore until \(Timestamp(millisecondsSinceEpoch: now + delay).stockholm)", now: now, into: &actions)
            } else {
                state.counters.duplicates += 1
                decide(event, d, .duplicate, rule: "restore-cancel \(delay / 1000) s", reason: "an alarm of this zone is already held", now: now, into: &actions)
            }
            return
        }
        correlateIntrusion(d, input: Self.describe(event), at: now, now: now, into: &actions)
    }

    /// Sequential and video verification of an intrusion that happened at `at`, decided at
    /// `now`, and what an unverified one does.
    mutating func correlateIntrusion(_ d: Detection, input: String, at: Int64, now: Int64, into actions: inout [CorrelationAction]) {
        let site = d.site
        let rules = rules(site: site)
        let window = rules.verificationWindow.value
        var verification = Verification.none
        var snapshot: String?
        var by = ""
        if d.zoneSlot >= 0 {
            for camera in state.sites[site].cameras
            where camera.at <= at + rules.videoAfter.value && at - camera.at <= rules.videoBefore.value && verifies(camera, zone: d.zoneSlot) {
                verification = .video
                snapshot = camera.snapshot
                by = " (verified by \(tables.devices[camera.device].id))"
            }
        }
        if verification == .none {
            for other in state.sites[site].intrusions where at - other.at <= window && other.at <= at && isSecond(other, to: d, rules) {
                verification = .sequential
                by = " (verified by \(tables.devices[other.device].id)\(other.zone.map { " in zone \($0)" } ?? ""))"
                break
            }
        }
        let keep = max(window, rules.videoAfter.value)
        state.sites[site].intrusions.removeAll { at - $0.at > keep }
        if state.sites[site].intrusions.count >= 8 { state.sites[site].intrusions.removeFirst() }
        state.sites[site].intrusions.append(RecentIntrusion(device: d.device, zone: d.zone, zoneSlot: d.zoneSlot, at: at))
        let kind: IncidentKind = verification == .none ? .unverifiedIntrusion : .verifiedIntrusion
        let c = Contribution(
            kind: kind, priority: rules.priority(kind), verification: verification,
            zone: d.zone, trigger: Self.trigger("intrusion", tables.devices[d.device].id, d.zone) + by, snapshot: snapshot)
        let outcome = openOrMerge(site: site, c, now: now, into: &actions)
        let rule: String
        let reason: String
        switch verification {
        case .video:
            rule = "video verification: \(rules.videoBefore.value / 1000) s before to \(rules.videoAfter.value / 1000) s after"
            reason = "video verified\(by); \(outcome.reason)"
        case .sequential:
            rule = "sequential verification: \(rules.sequentialRequires.rawValue) within \(window / 60_000) min"
            reason = "sequentially verified\(by); \(outcome.reason)"
        case .none:
            rule = "unverified-intrusion: \(rules.unverifiedIntrusion.name)"
            reason = "no second zone within \(window / 60_000) min and no camera yet; \(outcome.reason)"
        }
        decide(input: input, d, outcome.verdict, rule: rule, reason: reason, incident: outcome.incident, now: now, into: &actions)
    }

    /// Whether an earlier intrusion counts as the second detection for sequential verification.
    private func isSecond(_ other: RecentIntrusion, to d: Detection, _ rules: CorrelationRules) -> Bool {
        switch rules.sequentialRequires {
        case .distinctZones:
            if other.zone != nil || d.zone != nil { return other.zone != d.zone }
            return other.device != d.device
        case .distinctDetectors:
            return other.device != d.device || other.zone != d.zone
        }
    }

    // MARK: - Arm state and users

    private mutating func armChange(_ event: AlarmEvent, _ detection: Detection, now: Int64, into actions: inout [CorrelationAction]) {
        var d = detection
        if event.partition == nil { d.partition = -1 }  // all of the site's partitions
        let site = d.site
        let armed = event.eventClass == .close
        let partitions: [Int] = event.partition.flatMap { tables.sites[site].partitionIndex($0) }.map { [$0] }
            ?? Array(tables.sites[site].partitions.indices)
        for p in partitions { setPartition(site: site, partition: p, armed: armed, by: event.user, now: now, into: &actions) }
        let names = partitions.map { tables.sites[site].partitions[$0].rawValue }.joined(separator: ", ")
        let who = event.user.map { userDescription(site: site, $0) } ?? "no user reported"
        guard !armed else {
            decide(event, d, .closing, rule: "arm state", reason: "partition \(names) set by \(who)", now: now, into: &actions)
            return
        }
        // Who may unset when: only checked at sites that configure users.
        let users = tables.sites[site].users
        guard !users.isEmpty else {
            decide(event, d, .opening, rule: "arm state", reason: "partition \(names) unset by \(who)", now: now, into: &actions)
            return
        }
        let verdict = authorise(user: event.user, site: site, partitions: partitions, at: now)
        guard let problem = verdict else {
            decide(event, d, .opening, rule: "users: authorised windows",
                   reason: "partition \(names) unset by \(who)" + (event.user == nil ? "" : ", inside the user's window"),
                   now: now, into: &actions)
            return
        }
        var c = Contribution(kind: .unauthorisedOpening, priority: rules(site: site).priority(.unauthorisedOpening), zone: d.zone,
                             trigger: "partition \(names) unset by \(who): \(problem)")
        c.technicalSubject = "\(names):\(event.user?.rawValue ?? "-")"
        let outcome = openOrMerge(site: site, c, now: now, into: &actions)
        // Recorded as an opening (the arm state changed) that opened or joined an incident.
        decide(event, d, .opening, rule: "users: authorised windows", reason: "partition \(names) unset by \(who): \(problem); \(outcome.reason)",
               incident: outcome.incident, now: now, into: &actions)
    }

    /// Nil when `user` may unset `partitions` at `at`; else why not.
    func authorise(user: UserID?, site: Int, partitions: [Int], at: Int64) -> String? {
        // A panel that reports no user cannot be judged by user: the opening is recorded as it is.
        guard let user else { return nil }
        guard let config = tables.sites[site].users[user] else { return "unknown user \(user)" }
        guard !config.windows.isEmpty else { return nil }
        let ids = partitions.map { tables.sites[site].partitions[$0] }
        let time = Timestamp(millisecondsSinceEpoch: at)
        let local = StockholmTime.local(time)
        for partition in ids {
            let allowed = config.windows.contains { window in
                guard window.partitions.isEmpty || window.partitions.contains(partition) else { return false }
                for date in [local.date, local.date.adding(days: -1)] {
                    guard window.weekdays.isEmpty || window.weekdays.contains(date.weekday) else { continue }
                    if window.hours.contains(where: { $0.interval(on: date)?.contains(time) ?? false }) { return true }
                }
                return false
            }
            if !allowed { return "outside the windows of \(config.name) (\(config.role.rawValue)) for partition \(partition)" }
        }
        return nil
    }

    func userDescription(site: Int, _ user: UserID) -> String {
        guard let config = tables.sites[site].users[user] else { return "unknown user \(user)" }
        return "\(config.name) (user \(config.number.map(String.init) ?? user.rawValue), \(config.role.rawValue))"
    }

    mutating func setPartition(site: Int, partition: Int, armed: Bool, by user: UserID?, now: Int64, into actions: inout [CorrelationAction]) {
        let ref = PartitionRef(site: site, partition: partition)
        state.sites[site].partitions[partition].by = user
        if armed {
            if case .armed = state.sites[site].partitions[partition].arm { return }
            state.sites[site].partitions[partition].arm = .armed(since: now)
            state.sites[site].partitions[partition].lateRaised = false
            state.unsetPartitions.remove(ref)
            if let serial = state.sites[site].partitions[partition].lateIncident, let record = state.incidents[serial] {
                state.sites[site].partitions[partition].lateIncident = nil
                let late = (now - record.incident.openedAt.millisecondsSinceEpoch) / 60_000
                let who = user.map { userDescription(site: site, $0) } ?? "no user reported"
                lifecycle(record.incident.id, .close, cause: "resolved: armed by \(who), \(late) min after the late-to-close alert",
                          now: now, into: &actions)
            }
        } else {
            if case .unset = state.sites[site].partitions[partition].arm { return }
            state.sites[site].partitions[partition].arm = .unset(since: now)
            state.sites[site].partitions[partition].lateRaised = false
            state.unsetPartitions.insert(ref)
        }
    }

    /// Whether the partition counts as armed: its panel's last open/close, else its calendar.
    func isArmed(site: Int, partition: Int, now: Int64) -> Bool {
        switch state.sites[site].partitions[partition].arm {
        case .armed: true
        case .unset: false
        case .unknown:
            schedule.expectedArmed(site: tables.sites[site].id, partition: tables.sites[site].partitions[partition],
                                   at: Timestamp(millisecondsSinceEpoch: now))
        }
    }

    func armDescription(site: Int, partition: Int, now: Int64) -> String {
        switch state.sites[site].partitions[partition].arm {
        case .armed(let since): "set since \(Timestamp(millisecondsSinceEpoch: since).stockholm)"
        case .unset(let since):
            "unset since \(Timestamp(millisecondsSinceEpoch: since).stockholm)"
                + (state.sites[site].partitions[partition].by.map { " by \(userDescription(site: site, $0))" } ?? "")
        case .unknown:
            isArmed(site: site, partition: partition, now: now) ? "expected set by its calendar" : "open by its calendar"
        }
    }

    // MARK: - Cameras

    mutating func handleCamera(_ incoming: CameraTrigger, _ ref: DeviceRef, now: Int64, into actions: inout [CorrelationAction]) {
        let device = Int(ref.slot), site = Int(ref.site)
        if incoming.backfilled {
            handleBackfilledCamera(incoming, ref, now: now, into: &actions)
            return
        }
        seen(device, now: now, into: &actions)
        var trigger = incoming
        let step = incoming.label == .person || incoming.label == .vehicle
            ? followLifecycle(incoming, device: device, site: site, now: now, into: &actions) : .counts
        if case .entered(let zones) = step { trigger.zones = zones }
        let seenZones = trigger.zones.isEmpty ? tables.devices[device].cameraZones : trigger.zones
        let siteZones = tables.sites[site].zones
        let zoneSlot = seenZones.compactMap { siteZones[$0] }.first ?? -1
        let d = Detection(device: device, site: site, zoneSlot: zoneSlot, zone: seenZones.first,
                          partition: zoneSlot >= 0 ? tables.zones[zoneSlot].partition : 0, detector: tables.zones.count + device)
        let input = "\(trigger.label.rawValue) \(trigger.camera)" + (seenZones.isEmpty ? "" : " in \(seenZones.map(\.rawValue).joined(separator: ", "))")
        guard trigger.label == .person || trigger.label == .vehicle else {
            state.counters.ignored += 1
            return
        }
        switch step {
        case .counts, .entered: break
        case .absorbed: return
        case .duplicate(let reason):
            state.counters.duplicates += 1
            decide(input: input, d, .duplicate, rule: "deduplication", reason: reason, now: now, into: &actions)
            return
        }
        guard admitFlood(ref, now: now, into: &actions) else {
            decide(input: input, d, .flood, rule: "flood", reason: "\(trigger.camera) is over its rate", now: now, into: &actions)
            return
        }
        let rules = rules(site: site)
        let camera = RecentCamera(device: device, zones: trigger.zones, at: now, snapshot: trigger.snapshot)
        state.sites[site].cameras.removeAll { now - $0.at > max(rules.videoBefore.value, rules.videoAfter.value) }
        if state.sites[site].cameras.count >= 8 { state.sites[site].cameras.removeFirst() }
        state.sites[site].cameras.append(camera)
        for intrusion in state.sites[site].intrusions where now - intrusion.at <= rules.videoAfter.value && intrusion.at <= now {
            guard intrusion.zoneSlot >= 0, verifies(camera, zone: intrusion.zoneSlot), let zone = intrusion.zone else { continue }
            var c = Contribution(
                kind: .verifiedIntrusion, priority: rules.priority(.verifiedIntrusion), verification: .video, zone: zone,
                trigger: "\(trigger.label.rawValue) \(trigger.camera) verifies " + Self.trigger("intrusion", tables.devices[intrusion.device].id, zone),
                snapshot: trigger.snapshot)
            c.cameraEvent = trigger.eventID
            if suppressed(c, input: input, d, lifeSafety: false, now: now, into: &actions) { return }
            let outcome = openOrMerge(site: site, c, now: now, into: &actions)
            link(trigger.eventID, device: device, site: site, to: outcome.incident)
            decide(input: input, d, outcome.verdict,
                   rule: "video verification: \(rules.videoBefore.value / 1000) s before to \(rules.videoAfter.value / 1000) s after",
                   reason: "verifies the intrusion in zone \(zone) \((now - intrusion.at) / 1000) s earlier; \(outcome.reason)",
                   incident: outcome.incident, now: now, into: &actions)
            return
        }
        let alarmZones = seenZones.filter { zone in tables.sites[site].zones[zone].map { tables.zones[$0].cameraAlarm } ?? false }
        let armedZone = seenZones.compactMap { siteZones[$0] }
            .first { isArmed(site: site, partition: tables.zones[$0].partition, now: now) }
        let armed = armedZone != nil || (zoneSlot < 0 && isArmed(site: site, partition: 0, now: now))
        guard armed else {
            decide(input: input, d, .observation, rule: "camera detection: \(rules.cameraDetection.rawValue)",
                   reason: "its zone's partition is \(armDescription(site: site, partition: d.partition, now: now))", now: now, into: &actions)
            return
        }
        guard !alarmZones.isEmpty || rules.cameraDetection == .incident else {
            decide(input: input, d, .observation, rule: "camera detection: observation",
                   reason: "no alarm in a linked zone within \(rules.videoBefore.value / 1000) s; \(seenZones.map(\.rawValue).joined(separator: ", ")) is not a camera alarm zone",
                   now: now, into: &actions)
            return
        }
        let zone = alarmZones.first ?? d.zone
        var c = Contribution(kind: .cameraAlarm, priority: rules.priority(.cameraAlarm), verification: .video, zone: zone,
                             trigger: input, snapshot: trigger.snapshot)
        c.cameraEvent = trigger.eventID
        if suppressed(c, input: input, d, lifeSafety: false, now: now, into: &actions) { return }
        let outcome = openOrMerge(site: site, c, now: now, into: &actions)
        link(trigger.eventID, device: device, site: site, to: outcome.incident)
        decide(input: input, d, outcome.verdict,
               rule: alarmZones.isEmpty ? "camera detection: incident" : "camera alarm zone \(zone?.rawValue ?? "")",
               reason: "\(trigger.label.rawValue) seen while armed; \(outcome.reason)", incident: outcome.incident, now: now, into: &actions)
    }

    /// Whether a camera detection verifies an alarm in zone slot `zone`: the zone itself was
    /// seen, or a camera zone linked to it; a detection naming no zone counts for all the
    /// camera sees, and for its `linked_zones`.
    func verifies(_ camera: RecentCamera, zone: Int) -> Bool {
        let info = tables.zones[zone]
        let device = tables.devices[camera.device]
        let seen = camera.zones.isEmpty ? device.cameraZones : camera.zones
        if seen.contains(info.id) { return true }
        if seen.contains(where: { info.verifiedBy.contains($0) }) { return true }
        return camera.zones.isEmpty ? device.linkedZones.contains(info.id) : false
    }

    mutating func handleCheckIn(_ checkIn: CheckIn, now: Int64) {
        guard let site = tables.siteSlots[checkIn.site] else { return }
        state.sites[site].present.removeAll { $0.unit == checkIn.unit }
        if checkIn.present { state.sites[site].present.append(Presence(unit: checkIn.unit, since: now)) }
    }

    // MARK: - Rules shared by alarms and cameras

    private mutating func suppressed(_ c: Contribution, _ event: AlarmEvent, _ d: Detection, lifeSafety: Bool, now: Int64, into actions: inout [CorrelationAction]) -> Bool {
        suppressed(c, input: Self.describe(event), d, lifeSafety: lifeSafety, now: now, into: &actions)
    }

    /// Guard presence and silences: records the event as attributed and returns true.
    private mutating func suppressed(_ c: Contribution, input: String, _ d: Detection, lifeSafety: Bool, now: Int64, into actions: inout [CorrelationAction]) -> Bool {
        let site = d.site
        if !state.sites[site].silences.isEmpty {
            let at = Timestamp(millisecondsSinceEpoch: now)
            let id = tables.devices[d.device].id
            if let silence = state.sites[site].silences.first(where: { $0.covers(device: id, zone: c.zone, lifeSafety: lifeSafety, at: at) }) {
                state.counters.silenced += 1
                let incident = recordAttributed(site: site, c, cause: "silenced by \(silence.author): \(silence.reason)", now: now, into: &actions)
                decide(input: input, d, .silenced, rule: "silence", reason: "\(Self.describe(silence)) by \(silence.author): \(silence.reason)",
                       incident: incident, now: now, into: &actions)
                return true
            }
        }
        if !lifeSafety, !state.sites[site].present.isEmpty {
            let rules = rules(site: site)
            guard rules.guardPresenceAttributes else { return false }
            let timeout = rules.guardPresenceTimeout.value
            if let presence = state.sites[site].present.first(where: { now - $0.since <= timeout && $0.since <= now }) {
                state.counters.attributed += 1
                let incident = recordAttributed(site: site, c, cause: "attributed to \(presence.unit)", now: now, into: &actions)
                decide(input: input, d, .guardPresent, rule: "guard presence: \(timeout / 60_000) min after check-in",
                       reason: "\(presence.unit) checked in \((now - presence.since) / 60_000) min earlier", incident: incident, now: now, into: &actions)
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
            var c = Contribution(kind: .flood, priority: tables.rules[rules].priority(.flood), zone: tables.devices[device].zone,
                                 trigger: "flood from \(id): over \(tables.rules[rules].floodRatePerMinute)/min")
            c.technicalSubject = id.rawValue
            _ = openOrMerge(site: site, c, now: now, into: &actions)
        }
        return false
    }

    /// Flapping hysteresis per detector (zone): true when the alarm must be suppressed.
    private mutating func flapChange(_ d: Detection, alarm: Bool, now: Int64, into actions: inout [CorrelationAction]) -> Bool {
        let key = d.detector
        let rule = tables.flapping(zone: d.zoneSlot, site: d.site)
        let new: UInt8 = alarm ? 1 : 2
        let changed = state.flaps[key].last != 0 && state.flaps[key].last != new
        state.flaps[key].last = new
        if changed {
            if now - state.flaps[key].windowStart > rule.window.value {
                state.flaps[key].windowStart = now
                state.flaps[key].toggles = 0
            }
            state.flaps[key].toggles += 1
            state.flaps[key].lastToggle = now
            if !state.flaps[key].flapping, state.flaps[key].toggles >= Int32(clamping: rule.changes) {
                state.flaps[key].flapping = true
                state.flaps[key].suppressed = 0
                timers.push(TimerEntry(at: now + rule.quiet.value, kind: .flapQuiet, slot: key))
                startFlapping(d, rule: rule, now: now, into: &actions)
            }
        }
        guard state.flaps[key].flapping else { return false }
        if alarm {
            state.flaps[key].suppressed += 1
            state.counters.flapSuppressed += 1
        }
        if state.pending.removeValue(forKey: key) != nil { state.counters.restoreCancelled += 1 }
        return true
    }

    /// A zone starts flapping: one technical incident. An unverified intrusion of this zone
    /// alone that nobody was sent to yet becomes that incident (the alarm was the fault).
    private mutating func startFlapping(_ d: Detection, rule: FlapRule, now: Int64, into actions: inout [CorrelationAction]) {
        let what = d.zone.map { "zone \($0)" } ?? "\(tables.devices[d.device].id)"
        let subject = d.zone?.rawValue ?? tables.devices[d.device].id.rawValue
        actions.append(.warning(site: tables.sites[d.site].id, code: CorrelationWarning.flapping.rawValue,
                                message: "\(what) is flapping: its alarms are suppressed until it is quiet"))
        let cause = "\(what) is flapping: \(rule.changes) changes within \(rule.window.value / 60_000) min"
        let priority = rules(site: d.site).priority(.flapping)
        if let serial = state.sites[d.site].current, var record = state.incidents[serial],
           record.incident.kind == .unverifiedIntrusion, record.incident.state == .new,
           record.incident.zones == d.zone.map({ [$0] }) ?? []
        {
            let key = "\(IncidentKind.flapping.rawValue):\(subject)"
            record.incident.kind = .flapping
            record.incident.priority = priority
            record.technicalKey = key
            record.awaitingUntil = nil
            record.lastActivity = now
            record.incident.triggers.append(cause)
            state.incidents[serial] = record
            state.sites[d.site].current = nil
            state.sites[d.site].technical[key] = serial
            actions.append(.transition(IncidentTransition(
                incident: record.incident.id, site: record.incident.site, from: .new, to: .new, priority: priority,
                cause: "reclassified as a fault: \(cause)", time: Timestamp(millisecondsSinceEpoch: now), kind: .flapping)))
            return
        }
        var c = Contribution(kind: .flapping, priority: priority, zone: d.zone, trigger: cause)
        c.technicalSubject = subject
        _ = openOrMerge(site: d.site, c, now: now, into: &actions)
    }

    // MARK: - Records

    mutating func decide(
        _ event: AlarmEvent, _ d: Detection, _ verdict: Decision.Verdict, rule: String, reason: String,
        incident: IncidentID? = nil, now: Int64, into actions: inout [CorrelationAction]
    ) {
        decide(input: Self.describe(event), d, verdict, rule: rule, reason: reason, incident: incident, user: event.user,
               eventTime: event.late ? event.deviceTime : nil, now: now, into: &actions)
    }

    mutating func decide(
        input: String, _ d: Detection, _ verdict: Decision.Verdict, rule: String, reason: String,
        incident: IncidentID? = nil, user: UserID? = nil, eventTime: Timestamp? = nil, now: Int64, into actions: inout [CorrelationAction]
    ) {
        state.counters.count(verdict)
        actions.append(.decision(Decision(
            time: Timestamp(millisecondsSinceEpoch: now), site: tables.sites[d.site].id, device: tables.devices[d.device].id,
            zone: d.zone, partition: d.partition >= 0 ? tables.sites[d.site].partitions[d.partition] : nil, user: user, input: input,
            verdict: verdict, rule: rule, reason: reason, incident: incident, eventTime: eventTime)))
    }

    /// A decision made by a timer (supervision, late to close), not by an arriving event.
    mutating func decide(
        site: Int, device: Int?, zone: ZoneID? = nil, partition: Int = 0, input: String, _ outcome: Outcome, rule: String,
        now: Int64, into actions: inout [CorrelationAction]
    ) {
        state.counters.count(outcome.verdict)
        actions.append(.decision(Decision(
            time: Timestamp(millisecondsSinceEpoch: now), site: tables.sites[site].id, device: device.map { tables.devices[$0].id },
            zone: zone, partition: tables.sites[site].partitions[partition], input: input, verdict: outcome.verdict, rule: rule,
            reason: outcome.reason, incident: outcome.incident)))
    }

    static func describe(_ event: AlarmEvent) -> String {
        var text = event.eventClass.rawValue
        if event.isRestore { text += " restore" }
        if let code = event.code { text += " \(code)" }
        text += " from \(event.device)"
        if let zone = event.zone { text += " zone \(zone)" }
        if let partition = event.partition { text += " partition \(partition)" }
        if let user = event.user { text += " user \(user)" }
        return text + " seq \(event.sequence)"
    }

    static func describe(_ rule: FlapRule) -> String {
        "flapping: \(rule.changes) changes in \(rule.window.value / 60_000) min, quiet \(rule.quiet.value / 60_000) min"
    }

    static func trigger(_ what: String, _ device: DeviceID, _ zone: ZoneID?) -> String {
        zone.map { "\(what) \(device) (zone \($0))" } ?? "\(what) \(device)"
    }
}
