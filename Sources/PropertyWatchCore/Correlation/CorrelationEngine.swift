/// Turns alarm events, camera triggers and patrol messages into incidents: deduplication,
/// arm state, sequential and video verification, restore-cancel, guard presence, flood and
/// flap control, supervision, silences, priorities and merging, and the incident lifecycle.
///
/// It owns every incident's state and is the only source of `IncidentTransition`s: the
/// dispatch coordinator's part of an incident's life (a unit asked, acknowledging, on site,
/// clearing; escalation) reaches it as `DispatchFact`s (`record(_:now:)`).
///
/// Deterministic: the same `(message, now)` sequence gives the same actions and state. Timers
/// fire in deadline order before any message at or after their deadline, and act as of their
/// deadline, so state does not depend on how often `tick` is called (`==` ignores the timer
/// queue, whose entries are only lower bounds). Supervision starts at the first call.
public struct CorrelationEngine: Sendable {
    public let directory: SiteDirectory
    public let policy: CorrelationPolicy
    let schedule: any ArmSchedule
    let tables: CorrelationTables
    var state: CorrelationState
    var timers = TimerQueue()

    /// - Parameter schedule: opening hours per site; defaults to each site's `SiteSchedule`.
    public init(directory: SiteDirectory, policy: CorrelationPolicy = CorrelationPolicy(), schedule: (any ArmSchedule)? = nil) {
        self.directory = directory
        self.policy = policy
        self.schedule = schedule ?? ConfiguredArmSchedule(directory)
        self.tables = CorrelationTables(directory: directory, policy: policy)
        self.state = CorrelationState(
            sites: tables.sites.map { SiteState(partitions: Array(repeating: PartitionState(), count: $0.partitions.count)) },
            live: Array(repeating: DeviceLiveness(), count: tables.devices.count),
            devices: Array(repeating: DeviceState(), count: tables.devices.count),
            flaps: Array(repeating: FlapState(), count: tables.zones.count + tables.devices.count))
    }

    /// Handles one journaled message; `now` is its receive time.
    public mutating func handle(_ message: InboundMessage, now: Timestamp) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        let t = now.millisecondsSinceEpoch
        advance(to: t, into: &actions)
        apply(message, ref: resolve(message), now: t, into: &actions)
        return actions
    }

    /// The device a message comes from: the slot the decoder resolved it to, once its ids
    /// check out; otherwise (a message built in code) the directory's number for it.
    @inline(__always)
    func resolve(_ message: InboundMessage) -> DeviceRef? {
        switch message {
        case .alarm(let event): ref(event.slot, site: event.site, device: event.device)
        case .camera(let trigger): ref(trigger.slot, site: trigger.site, device: trigger.camera)
        case .heartbeat(let heartbeat): ref(heartbeat.slot, site: heartbeat.site, device: heartbeat.device)
        case .checkIn, .reply, .position, .unitStatus, .video: nil
        }
    }

    @inline(__always)
    func ref(_ slot: DeviceSlot, site: SiteID, device: DeviceID) -> DeviceRef? {
        tables.ref(slot, site: site, device: device) ?? ref(site: site, device: device)
    }

    func ref(site: SiteID, device: DeviceID) -> DeviceRef? {
        directory.deviceIndex(device, at: site).map { tables.ref($0) }
    }

    /// Applies one message whose device `resolve` found (nil: unknown or none).
    mutating func apply(_ message: InboundMessage, ref: DeviceRef?, now t: Int64, into actions: inout [CorrelationAction]) {
        switch message {
        case .alarm(let event):
            guard let ref else { state.counters.unknownDevices += 1; return }
            handleAlarm(event, ref, now: t, into: &actions)
        case .camera(let trigger):
            guard let ref else { state.counters.unknownDevices += 1; return }
            handleCamera(trigger, ref, now: t, into: &actions)
        case .heartbeat:
            guard let ref else { state.counters.unknownDevices += 1; return }
            seen(Int(ref.slot), now: t, into: &actions)
        case .checkIn(let checkIn): handleCheckIn(checkIn, now: t)
        case .video(let status): handleVideo(status, now: t, into: &actions)
        // Guard replies are the dispatch coordinator's; their lifecycle meaning comes back as
        // `DispatchFact`s (`record(_:now:)`).
        case .reply, .position, .unitStatus: break
        }
    }

    /// Lets time pass: fires due timers (restore delays, supervision, floods, flapping,
    /// silences, verification windows, late-to-close checks).
    public mutating func tick(now: Timestamp) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        advance(to: now.millisecondsSinceEpoch, into: &actions)
        return actions
    }

    /// The earliest pending timer: call `tick` then. It may be early (nothing happens), never late.
    public var nextDeadline: Timestamp? {
        timers.first.map { Timestamp(millisecondsSinceEpoch: $0.at) }
    }

    /// Adds a maintenance window. Refused (with a warning) for an unknown site.
    public mutating func silence(_ silence: Silence, now: Timestamp) -> [CorrelationAction] {
        var actions: [CorrelationAction] = []
        let t = now.millisecondsSinceEpoch
        advance(to: t, into: &actions)
        guard let site = tables.siteSlots[silence.site] else {
            actions.append(.warning(site: silence.site, code: CorrelationWarning.invalidTransition.rawValue,
                                    message: "silence for unknown site \(silence.site)"))
            return actions
        }
        state.sites[site].silences.append(silence)
        timers.push(TimerEntry(at: silence.until.millisecondsSinceEpoch, kind: .silenceExpiry, slot: site))
        actions.append(.warning(site: silence.site, code: CorrelationWarning.silenceAdded.rawValue,
                                message: "\(Self.describe(silence)) by \(silence.author): \(silence.reason)"))
        return actions
    }

    /// An operator closes an incident; a unit still underway is called off.
    public mutating func close(incident: IncidentID, by operator: String, reason: String, now: Timestamp) -> [CorrelationAction] {
        lifecycle(incident, .close, cause: "closed by \(`operator`): \(reason)", now: now)
    }

    /// The arm state of every partition of `site` as the engine sees it now: the panel's
    /// report, else the calendar.
    public func partitionStates(site: SiteID, now: Timestamp) -> [(partition: PartitionID, armed: Bool, reported: Bool, by: UserID?)] {
        guard let slot = tables.siteSlots[site] else { return [] }
        return tables.sites[slot].partitions.indices.map { p in
            let reported: Bool = if case .unknown = state.sites[slot].partitions[p].arm { false } else { true }
            return (tables.sites[slot].partitions[p], isArmed(site: slot, partition: p, now: now.millisecondsSinceEpoch),
                    reported, state.sites[slot].partitions[p].by)
        }
    }

    /// Active incidents (not cleared, closed or attributed), oldest first.
    public var openIncidents: [Incident] {
        state.incidents.values
            .filter { !IncidentLifecycle.isTerminal($0.incident.state) }
            .sorted { ($0.incident.openedAt, $0.incident.id) < ($1.incident.openedAt, $1.incident.id) }
            .map(\.incident)
    }

    /// The incident with `id`, if it is still held (active, or the latest attributed record).
    public func incident(_ id: IncidentID) -> Incident? {
        state.serials[id].flatMap { state.incidents[$0]?.incident }
    }

    /// What was absorbed without an action.
    public var counters: CorrelationCounters { state.counters }

    // MARK: - Time

    /// Starts supervision on the first call, then fires every timer due at or before `now`.
    mutating func advance(to now: Int64, into actions: inout [CorrelationAction]) {
        if state.startedAt == nil { start(at: now) }
        while let top = timers.first, top.at <= now {
            _ = timers.pop()
            fire(top, into: &actions)
        }
    }

    mutating func start(at now: Int64) {
        state.startedAt = now
        for slot in tables.devices.indices {
            state.live[slot].lastSeen = now
            if tables.devices[slot].heartbeat > 0 {
                timers.push(TimerEntry(at: now + supervisionLimit(slot), kind: .supervision, slot: slot))
            }
        }
        let interval = max(1, policy.lateToCloseCheckInterval.value)
        timers.push(TimerEntry(at: (now / interval + 1) * interval, kind: .lateToClose, slot: 0))
    }

    static func describe(_ silence: Silence) -> String {
        var scope = "silence at \(silence.site)"
        if let device = silence.device { scope += " device \(device)" }
        if let zone = silence.zone { scope += " zone \(zone)" }
        return scope + " from \(silence.from.millisecondsSinceEpoch) until \(silence.until.millisecondsSinceEpoch)"
    }
}

extension CorrelationEngine: Equatable {
    /// Same configuration, policy and remembered state (the timer queue is not compared).
    public static func == (lhs: CorrelationEngine, rhs: CorrelationEngine) -> Bool {
        lhs.policy == rhs.policy && lhs.directory.configuration == rhs.directory.configuration
            && lhs.state == rhs.state
    }
}
