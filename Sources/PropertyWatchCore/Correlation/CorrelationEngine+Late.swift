/// Events a device buffered during an outage and sent late, with their original times
/// (`AlarmEvent.late`). They are facts about the past: recorded, used to explain the outage,
/// kept for the operators, never dispatched as if they were live.
///
/// The rule, in one place:
/// - a trouble that happened during (or just before) a device's supervision outage at the site
///   is its probable cause: given when the outage resolves, or added to the resolved fault
///   afterwards (a `closed → closed` transition) when it arrives after the device's first message;
/// - an intrusion while armed, a fire, a hold-up, a tamper, an unexplained trouble or an
///   opening outside the user's windows joins the device's `late-alarm` technical incident
///   (never dispatched, whatever its configured priority);
/// - an opening or closing still moves the partition's arm state (the panel's buffer is the
///   best account of it), so a late closing resolves a late-to-close;
/// - anything else (restores, tests, bypass, intrusions while unset) is recorded only.
///
/// Receive order is kept: the device time only says how late an event is and which outage it
/// falls in, never where it goes in the sequence of inputs.
extension CorrelationEngine {
    /// A late trouble is noted before the device's first message back resolves its outage,
    /// as of when it happened, so that resolution can name it.
    mutating func noteBufferedTrouble(_ event: AlarmEvent, device: Int) {
        guard event.late, event.eventClass == .trouble, !event.isRestore else { return }
        let site = tables.devices[device].site
        let at = event.deviceTime.millisecondsSinceEpoch
        if let last = state.sites[site].lastTrouble, last.at > at { return }
        state.sites[site].lastTrouble = LastTrouble(kind: event.trouble ?? .general, device: device, at: at)
    }

    mutating func lateEvent(_ event: AlarmEvent, _ d: Detection, now: Int64, into actions: inout [CorrelationAction]) {
        state.counters.buffered += 1
        let at = event.deviceTime.millisecondsSinceEpoch
        let delay = max(0, now - at)
        let rule = "late event: device time more than \(directory.configuration.decoding.maxClockSkew.value / 1000) s behind, within the \(directory.configuration.decoding.lateWindow.value / 3_600_000) h late window; recorded, never dispatched as live"
        let when = "happened at \(event.deviceTime.stockholm), arrived \(Self.minutes(delay)) later"
        func record(_ what: String, incident: IncidentID? = nil, into actions: inout [CorrelationAction]) {
            decide(event, d, .late, rule: rule, reason: "\(when); \(what)", incident: incident, now: now, into: &actions)
        }
        if event.isRestore || event.eventClass == .test || event.eventClass == .bypass {
            record("recorded only", into: &actions)
            return
        }
        switch event.eventClass {
        case .trouble:
            if let (device, outage) = explainedOutage(site: d.site, at: at) {
                let deviceID = tables.devices[device].id
                let kind = Self.describe(event.trouble ?? .general)
                if !outage.explained {
                    state.live[device].lastOutage?.explained = true
                    actions.append(.transition(IncidentTransition(
                        incident: outage.incident, site: tables.sites[d.site].id, from: .closed, to: .closed, priority: outage.priority,
                        cause: "probable cause: \(kind) reported by \(event.device) at \(event.deviceTime.stockholm) (buffered, arrived \(Self.minutes(delay)) late); outage of \(deviceID) from \(Timestamp(millisecondsSinceEpoch: outage.from).stockholm) to \(Timestamp(millisecondsSinceEpoch: outage.until).stockholm)",
                        time: Timestamp(millisecondsSinceEpoch: now), kind: .supervision)))
                }
                record("probable cause of the outage of \(deviceID) (\(outage.incident))", incident: outage.incident, into: &actions)
                return
            }
            if let outage = ongoingOutage(site: d.site, at: at) {
                record("during the supervision fault of \(tables.devices[outage].id); named as its probable cause when it ends", into: &actions)
                return
            }
            lateIncident(event, d, what: "trouble (\(event.trouble?.rawValue ?? "general"))", when: when, rule: rule, now: now, into: &actions)
        case .intrusion:
            let armed = isArmed(site: d.site, partition: d.partition, now: at)
            guard armed else {
                record("partition \(tables.sites[d.site].partitions[d.partition]) was not armed; recorded only", into: &actions)
                return
            }
            lateIncident(event, d, what: "intrusion", when: when, rule: rule, now: now, into: &actions)
        case .fire, .holdUp, .tamper:
            lateIncident(event, d, what: event.eventClass.rawValue, when: when, rule: rule, now: now, into: &actions)
        case .open, .close:
            let partitions: [Int] = event.partition.flatMap { tables.sites[d.site].partitionIndex($0) }.map { [$0] }
                ?? Array(tables.sites[d.site].partitions.indices)
            let armed = event.eventClass == .close
            for p in partitions { setPartition(site: d.site, partition: p, armed: armed, by: event.user, now: now, into: &actions) }
            let names = partitions.map { tables.sites[d.site].partitions[$0].rawValue }.joined(separator: ", ")
            let who = event.user.map { userDescription(site: d.site, $0) } ?? "no user reported"
            let change = "partition \(names) \(armed ? "set" : "unset") by \(who)"
            if !armed, !tables.sites[d.site].users.isEmpty, let problem = authorise(user: event.user, site: d.site, partitions: partitions, at: at) {
                lateIncident(event, d, what: "\(change): \(problem)", when: when, rule: rule, now: now, into: &actions)
                return
            }
            record("\(change); arm state updated", into: &actions)
        case .test, .bypass:
            record("recorded only", into: &actions)
        }
    }

    /// Joins (or opens) the device's `late-alarm` technical incident.
    private mutating func lateIncident(
        _ event: AlarmEvent, _ d: Detection, what: String, when: String, rule: String, now: Int64, into actions: inout [CorrelationAction]
    ) {
        var c = Contribution(
            kind: .lateAlarm, priority: rules(site: d.site).priority(.lateAlarm), zone: d.zone,
            trigger: "buffered \(what) from \(event.device)\(d.zone.map { " (zone \($0))" } ?? ""): \(when)")
        c.technicalSubject = event.device.rawValue
        let outcome = openOrMerge(site: d.site, c, now: now, into: &actions)
        decide(event, d, .late, rule: rule, reason: "\(when); \(what): \(outcome.reason), for the operators", incident: outcome.incident,
               now: now, into: &actions)
    }

    /// A device of `site` whose last (ended) outage `at` falls in: from a supervision limit
    /// before it was declared until it was heard again.
    private func explainedOutage(site: Int, at: Int64) -> (Int, Outage)? {
        for device in tables.sites[site].supervised {
            guard let outage = state.live[device].lastOutage else { continue }
            if at >= outage.from - supervisionLimit(device), at <= outage.until { return (device, outage) }
        }
        return nil
    }

    /// A device of `site` in supervision fault now, whose silence `at` falls in.
    private func ongoingOutage(site: Int, at: Int64) -> Int? {
        tables.sites[site].supervised.first { state.live[$0].offline && at >= state.live[$0].offlineSince - supervisionLimit($0) }
    }

    /// `mains-failure` → `mains failure`.
    static func describe(_ trouble: TroubleKind) -> String {
        String(trouble.rawValue.map { $0 == "-" ? " " : $0 })
    }

    static func minutes(_ ms: Int64) -> String {
        ms >= 60_000 ? "\(ms / 60_000) min" : "\(ms / 1000) s"
    }
}
