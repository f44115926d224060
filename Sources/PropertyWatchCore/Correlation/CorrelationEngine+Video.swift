/// Video supervision (Frigate's availability and its cameras' frames), the lifecycle of a
/// camera event (`new` → `update` → `end`), and events fetched after an outage (backfill).
extension CorrelationEngine {
    /// What a live camera trigger does after its lifecycle is followed.
    enum CameraStep {
        /// A first sighting of its event: it counts as it is.
        case counts
        /// A later phase whose object walked into these zones: it counts for them, from now.
        case entered([ZoneID])
        /// A later phase that adds no zone: it only updates the observation.
        case absorbed
        /// Seen before; the reason says how.
        case duplicate(String)
    }

    /// The technical key of a site's "video verification unavailable" incident.
    static let videoKey = "\(IncidentKind.cameraUnavailable.rawValue):video"

    // MARK: - Lifecycle

    /// Follows a live person/vehicle trigger's event through its phases. A repeated `new` is a
    /// duplicate; an `update` or `end` counts only for zones its object had not been in; `end`
    /// closes the observation, and a snapshot it brings goes to the incident the event fed.
    mutating func followLifecycle(
        _ trigger: CameraTrigger, device: Int, site: Int, now: Int64, into actions: inout [CorrelationAction]
    ) -> CameraStep {
        if let i = state.sites[site].observations.firstIndex(where: { $0.device == device && $0.eventID == trigger.eventID }) {
            var observation = state.sites[site].observations[i]
            if trigger.phase == .new { return .duplicate("event id \(trigger.eventID) seen before") }
            if observation.ended { return .duplicate("event \(trigger.eventID) already ended") }
            let entered = trigger.zones.filter { !observation.zones.contains($0) }
            observation.zones += entered
            if trigger.phase == .end { observation.ended = true }
            let newSnapshot = observation.snapshot == nil ? trigger.snapshot : nil
            if let newSnapshot { observation.snapshot = newSnapshot }
            state.sites[site].observations[i] = observation
            if !entered.isEmpty { return .entered(entered) }
            if let newSnapshot, let serial = observation.incident {
                attachSnapshot(newSnapshot, event: trigger, device: device, site: site, serial: serial, now: now, into: &actions)
            } else {
                state.counters.ignored += 1
            }
            return .absorbed
        }
        // Unknown here: a new event, or a later phase whose `new` was missed (before a restart).
        guard state.devices[device].sequence.admit(idHash: ByteHash.hash(trigger.eventID)) else {
            return .duplicate("event id \(trigger.eventID) seen before")
        }
        remember(CameraObservation(
            device: device, eventID: trigger.eventID, zones: trigger.zones, ended: trigger.phase == .end, snapshot: trigger.snapshot),
            site: site)
        return .counts
    }

    private mutating func remember(_ observation: CameraObservation, site: Int) {
        if state.sites[site].observations.count >= CameraObservation.kept { state.sites[site].observations.removeFirst() }
        state.sites[site].observations.append(observation)
    }

    /// Records which incident a camera event fed, so its `end` can bring the snapshot there.
    mutating func link(_ eventID: String, device: Int, site: Int, to incident: IncidentID?) {
        guard let incident, let serial = state.serials[incident],
              let i = state.sites[site].observations.lastIndex(where: { $0.device == device && $0.eventID == eventID })
        else { return }
        state.sites[site].observations[i].incident = serial
    }

    /// A snapshot that arrived with a later phase: the incident gets it if it has none, and a
    /// unit already asked is sent the update.
    private mutating func attachSnapshot(
        _ snapshot: String, event trigger: CameraTrigger, device: Int, site: Int, serial: Int, now: Int64,
        into actions: inout [CorrelationAction]
    ) {
        guard var record = state.incidents[serial], !IncidentLifecycle.isTerminal(record.incident.state),
              record.incident.snapshot == nil
        else {
            state.counters.ignored += 1
            return
        }
        record.incident.snapshot = snapshot
        state.incidents[serial] = record
        var reason = "snapshot of event \(trigger.eventID) attached to \(record.incident.id)"
        if IncidentLifecycle.hasGuardUnderway(record.incident.state) || record.incident.state == .onSite {
            actions.append(.dispatch(record.incident))
            reason += "; the unit is told"
        }
        let d = Detection(device: device, site: site, zoneSlot: -1, zone: nil, partition: 0, detector: tables.zones.count + device)
        decide(input: "\(trigger.label.rawValue) \(trigger.camera) \(trigger.phase.rawValue) (event \(trigger.eventID))", d, .joined,
               rule: "camera event lifecycle: a later phase brings the snapshot", reason: reason, incident: record.incident.id,
               now: now, into: &actions)
    }

    // MARK: - Backfill

    /// A detection Frigate saw while we could not hear it, fetched afterwards. It is placed at
    /// its own start; it verifies an intrusion of its time whose incident is still open (and
    /// joins it), and is otherwise recorded as an observation: it never opens an incident or
    /// sends a guard as if it were happening now. One already seen (live or fetched) changes nothing.
    mutating func handleBackfilledCamera(_ trigger: CameraTrigger, _ ref: DeviceRef, now: Int64, into actions: inout [CorrelationAction]) {
        let device = Int(ref.slot), site = Int(ref.site)
        let at = trigger.start.millisecondsSinceEpoch
        let seenZones = trigger.zones.isEmpty ? tables.devices[device].cameraZones : trigger.zones
        let zoneSlot = seenZones.compactMap { tables.sites[site].zones[$0] }.first ?? -1
        let d = Detection(device: device, site: site, zoneSlot: zoneSlot, zone: seenZones.first,
                          partition: zoneSlot >= 0 ? tables.zones[zoneSlot].partition : 0, detector: tables.zones.count + device)
        let input = "backfilled \(trigger.label.rawValue) \(trigger.camera)"
            + (seenZones.isEmpty ? "" : " in \(seenZones.map(\.rawValue).joined(separator: ", "))")
            + " at \(trigger.start.stockholm) (event \(trigger.eventID))"
        guard trigger.label == .person || trigger.label == .vehicle else {
            state.counters.ignored += 1
            return
        }
        if state.sites[site].observations.contains(where: { $0.device == device && $0.eventID == trigger.eventID })
            || !state.devices[device].sequence.admit(idHash: ByteHash.hash(trigger.eventID))
        {
            state.counters.duplicates += 1
            decide(input: input, d, .duplicate, rule: "deduplication by camera event id",
                   reason: "event \(trigger.eventID) was already seen; the backfill changes nothing", now: now, into: &actions)
            return
        }
        remember(CameraObservation(device: device, eventID: trigger.eventID, zones: trigger.zones, ended: true, snapshot: trigger.snapshot),
                 site: site)
        let camera = RecentCamera(device: device, zones: trigger.zones, at: at, snapshot: trigger.snapshot)
        if state.sites[site].cameras.count >= 8 { state.sites[site].cameras.removeFirst() }
        state.sites[site].cameras.append(camera)
        let rules = rules(site: site)
        let end = trigger.end?.millisecondsSinceEpoch ?? at
        let window = "video verification: \(rules.videoBefore.value / 1000) s before to \(rules.videoAfter.value / 1000) s after"
        for intrusion in state.sites[site].intrusions
        where intrusion.at - rules.videoBefore.value <= end && at <= intrusion.at + rules.videoAfter.value {
            guard intrusion.zoneSlot >= 0, verifies(camera, zone: intrusion.zoneSlot), let zone = intrusion.zone else { continue }
            guard let serial = state.sites[site].current, let record = state.incidents[serial],
                  !IncidentLifecycle.isTerminal(record.incident.state), now - record.lastActivity <= rules.mergeWindow.value
            else { break }
            var c = Contribution(
                kind: .verifiedIntrusion, priority: rules.priority(.verifiedIntrusion), verification: .video, zone: zone,
                trigger: "backfilled \(trigger.label.rawValue) \(trigger.camera) at \(trigger.start.stockholm) verifies "
                    + Self.trigger("intrusion", tables.devices[intrusion.device].id, zone),
                snapshot: trigger.snapshot)
            c.cameraEvent = trigger.eventID
            let outcome = openOrMerge(site: site, c, now: now, into: &actions)
            link(trigger.eventID, device: device, site: site, to: outcome.incident)
            decide(input: input, d, outcome.verdict, rule: window + " (backfilled)",
                   reason: "seen while video was unavailable; verifies the intrusion in zone \(zone) at \(Timestamp(millisecondsSinceEpoch: intrusion.at).stockholm); \(outcome.reason)",
                   incident: outcome.incident, now: now, into: &actions)
            return
        }
        decide(input: input, d, .observation, rule: "frigate backfill: recorded, never dispatched as live",
               reason: "fetched \((now - at) / 60_000) min after it happened; no open incident of its time for it to verify",
               now: now, into: &actions)
    }

    // MARK: - Video supervision

    mutating func handleVideo(_ status: VideoStatus, now: Int64, into actions: inout [CorrelationAction]) {
        switch status {
        case .frigate(online: true):
            guard let since = state.frigateOfflineSince else { return }
            state.frigateOfflineSince = nil
            let gap = "\(Timestamp(millisecondsSinceEpoch: since).stockholm) to \(Timestamp(millisecondsSinceEpoch: now).stockholm)"
            actions.append(.warning(site: nil, code: CorrelationWarning.videoRestored.rawValue,
                                    message: "Frigate is online again after \((now - since) / 60_000) min; fetching its events from \(gap)"))
            for site in tables.frigateSites {
                videoUp(site: site, subject: "frigate", cause: "Frigate online again (frigate/available)", now: now, into: &actions)
            }
            actions.append(.fetchMissedVideo(from: Timestamp(millisecondsSinceEpoch: since), until: Timestamp(millisecondsSinceEpoch: now)))
        case .frigate(online: false):
            guard state.frigateOfflineSince == nil else { return }
            state.frigateOfflineSince = now
            actions.append(.warning(site: nil, code: CorrelationWarning.videoUnavailable.rawValue,
                                    message: "Frigate reports itself offline: video verification unavailable at \(tables.frigateSites.count) site(s)"))
            for site in tables.frigateSites {
                videoDown(site: site, subject: "frigate", device: nil, cause: "Frigate offline (frigate/available)", now: now, into: &actions)
            }
        case .cameras(let feeds):
            for feed in feeds {
                guard let ref = ref(site: feed.site, device: feed.camera) else { continue }
                let device = Int(ref.slot), site = Int(ref.site)
                if feed.framesPerSecond > 0 {
                    seen(device, now: now, into: &actions)
                    videoUp(site: site, subject: feed.camera.rawValue,
                            cause: "\(feed.camera) delivers frames again (camera_fps \(feed.framesPerSecond))", now: now, into: &actions)
                } else {
                    videoDown(site: site, subject: feed.camera.rawValue, device: device,
                              cause: "\(feed.camera) delivers no frames (frigate/stats camera_fps 0)", now: now, into: &actions)
                }
            }
        }
    }

    /// One more reason video verification is unavailable at `site`; the first opens the
    /// site's `camera-unavailable` incident and stops verify-first waits there.
    private mutating func videoDown(
        site: Int, subject: String, device: Int?, cause: String, now: Int64, into actions: inout [CorrelationAction]
    ) {
        guard state.sites[site].videoDown[subject] == nil else { return }
        let wasAvailable = state.sites[site].videoDown.isEmpty
        state.sites[site].videoDown[subject] = now
        let id = tables.sites[site].id
        let rules = rules(site: site)
        var c = Contribution(kind: .cameraUnavailable, priority: rules.priority(.cameraUnavailable),
                             trigger: "video verification unavailable at \(id): \(cause)")
        c.technicalSubject = "video"
        let outcome = openOrMerge(site: site, c, now: now, into: &actions)
        decide(site: site, device: device, input: cause, outcome,
               rule: "video supervision: frigate/available offline or camera_fps 0; priority \(rules.priority(.cameraUnavailable).name)",
               now: now, into: &actions)
        if wasAvailable { stopWaitingForVideo(site: site, now: now, into: &actions) }
    }

    /// One reason fewer; when none is left the incident is resolved.
    private mutating func videoUp(site: Int, subject: String, cause: String, now: Int64, into actions: inout [CorrelationAction]) {
        guard state.sites[site].videoDown[subject] != nil else { return }
        let since = state.sites[site].videoDown.values.min() ?? now
        state.sites[site].videoDown[subject] = nil
        guard state.sites[site].videoDown.isEmpty else { return }
        let incident = state.sites[site].technical[Self.videoKey].flatMap { state.incidents[$0]?.incident.id }
        let summary = "video verification available again after \((now - since) / 60_000) min (from \(Timestamp(millisecondsSinceEpoch: since).stockholm) to \(Timestamp(millisecondsSinceEpoch: now).stockholm))"
        resolveTechnical(site: site, key: Self.videoKey, cause: "resolved: \(summary); \(cause)", now: now, into: &actions)
        decide(site: site, device: nil, input: cause,
               Outcome(verdict: .observation, reason: summary + (incident.map { "; \($0) resolved" } ?? ""), incident: incident),
               rule: "video supervision: frigate/available online and camera_fps > 0", now: now, into: &actions)
    }

    /// Unverified intrusions at `site` waiting for video (verify first) act now: nothing will verify them.
    private mutating func stopWaitingForVideo(site: Int, now: Int64, into actions: inout [CorrelationAction]) {
        let policy = rules(site: site).unverifiedIntrusion
        let waiting = state.incidents.filter { $0.value.site == site && $0.value.awaitingUntil != nil }.keys.sorted()
        for serial in waiting {
            guard let record = state.incidents[serial], record.incident.state == .new else { continue }
            let cause = "video verification unavailable since \(Timestamp(millisecondsSinceEpoch: now).stockholm): stopped waiting for video"
            switch policy.action {
            case .dispatch:
                state.incidents[serial]?.awaitingUntil = nil
                actions.append(.transition(IncidentTransition(
                    incident: record.incident.id, site: record.incident.site, from: .new, to: .new, priority: record.incident.priority,
                    cause: "\(cause); dispatching on the alarm alone", time: Timestamp(millisecondsSinceEpoch: now), kind: record.incident.kind)))
                actions.append(.dispatch(record.incident))
            case .directedCheck:
                state.incidents[serial]?.awaitingUntil = nil
                actions.append(.transition(IncidentTransition(
                    incident: record.incident.id, site: record.incident.site, from: .new, to: .new, priority: record.incident.priority,
                    cause: "\(cause); directed check requested", time: Timestamp(millisecondsSinceEpoch: now), kind: record.incident.kind)))
                actions.append(.directedCheck(site: record.incident.site, incident: record.incident.id, reason: "unverified intrusion, \(cause)"))
            case .record:
                continue
            }
        }
    }

    /// For the decision of an alarm acted on without its verify-first wait.
    func videoUnavailableNote(site: Int, _ kind: IncidentKind) -> String {
        guard kind == .unverifiedIntrusion, rules(site: site).unverifiedIntrusion.wait.value > 0,
              let since = state.sites[site].videoDown.values.min()
        else { return "" }
        return "; video verification unavailable since \(Timestamp(millisecondsSinceEpoch: since).stockholm): on the alarm alone, without waiting for video"
    }
}
