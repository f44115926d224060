import PropertyWatchCore

/// A whole simulated night: panels, cameras and patrol cars driven by a scenario's schedule,
/// reacting to what the daemon publishes. Pure: the driver moves it with `advance(to:stamp:)`,
/// publishes what it returns, and hands it the daemon's messages with `receive(_:now:)`.
public struct Simulation: Sendable {
    public let configuration: WatchConfiguration
    public let scenario: Scenario
    public private(set) var panels: PanelSimulator
    public private(set) var cameras: CameraSimulator
    public private(set) var patrol: PatrolSimulator
    public private(set) var outcome = ScenarioOutcome()
    public private(set) var now: Timestamp
    private var nextEvent = 0
    /// Whether Frigate's `frigate/available: online` has been sent (first step, when the
    /// configuration maps Frigate cameras), as Frigate announces itself when it connects.
    private var frigateAnnounced = false
    private var log: [String] = []
    private let directory: SiteDirectory

    /// - Parameter sequenceBase: the panels' first sequence number minus one (a fresh journal
    ///   can start at 0; a run against a long-lived daemon should start above earlier runs).
    public init(configuration: WatchConfiguration, scenario: Scenario, sequenceBase: UInt64 = 0, simulatePanels: Bool = true, simulatePatrol: Bool = true) {
        self.configuration = configuration
        self.scenario = scenario
        self.directory = SiteDirectory(configuration)
        self.now = scenario.start
        panels = PanelSimulator(
            configuration: configuration, start: scenario.start, seed: scenario.seed, sequenceBase: sequenceBase,
            heartbeats: scenario.heartbeats && simulatePanels)
        cameras = CameraSimulator(configuration: configuration)
        patrol = PatrolSimulator(
            configuration: configuration, start: scenario.start, seed: scenario.seed, policies: scenario.units,
            defaultPolicy: scenario.defaultPolicy, drivesRoutes: scenario.drivesRoutes,
            units: simulatePatrol ? nil : [])
    }

    /// Whether the night is over.
    public var finished: Bool { now >= scenario.end }

    /// The next instant something is scheduled (an event, a car's arrival, a camera's end),
    /// capped at the end of the night.
    public var nextWake: Timestamp {
        var candidates = [scenario.end]
        if nextEvent < scenario.events.count { candidates.append(scenario.events[nextEvent].at) }
        if let t = patrol.nextDeadline { candidates.append(t) }
        if let t = cameras.nextDeadline { candidates.append(t) }
        if let t = panels.nextDeadline { candidates.append(t) }
        return max(now, candidates.min()!)
    }

    /// The next step: `step` after now, or earlier when something is scheduled.
    public var nextStep: Timestamp { min(now + scenario.step, nextWake).clamped(after: now, end: scenario.end) }

    /// Moves to `time`; returns the messages to publish, stamped `stamp`.
    public mutating func advance(to time: Timestamp, stamp: Timestamp) -> [SimMessage] {
        now = max(now, time)
        var out: [SimMessage] = []
        if !frigateAnnounced {
            frigateAnnounced = true
            if !configuration.frigate.cameras.isEmpty { out.append(SimMessage(.video(.frigate(online: true)))) }
        }
        while nextEvent < scenario.events.count, scenario.events[nextEvent].at <= now {
            out += perform(scenario.events[nextEvent].action, stamp: stamp)
            nextEvent += 1
        }
        out += panels.tick(now: now, stamp: stamp)
        out += cameras.tick(now: now, stamp: stamp)
        let moved = patrol.advance(to: now, stamp: stamp)
        for text in moved.notes { note(text) }
        for message in moved.messages {
            if case .reply(let r) = message { outcome.record(r) }
            out.append(SimMessage(message))
        }
        outcome.eventsSent = panels.sent
        outcome.unacknowledgedAtEnd = panels.unacknowledgedCount
        return out
    }

    /// Takes one message the daemon published.
    public mutating func receive(_ output: DaemonOutput) {
        switch output {
        case .guardRequest(let r):
            outcome.record(r)
            patrol.receive(r, now: now)
            if r.revision > 1 {
                note("UPDATE \(r.requestID) r\(r.revision) → \(r.unit): \(r.changes.joined(separator: "; "))")
                return
            }
            note("REQUEST \(r.requestID) → \(r.unit): \(r.priority.name) at \(r.siteName.isEmpty ? r.site.rawValue : r.siteName), verification \(r.verification.rawValue), attempt \(r.attempt)")
        case .incident(let t):
            outcome.record(t)
            note("incident \(t.incident) \(t.from?.rawValue ?? "-") → \(t.to.rawValue) (\(t.priority.name)): \(t.cause)")
        case .escalation(let incident, let target, let time):
            outcome.record(escalation: target, incident: incident, time: time)
            note("ESCALATION of \(incident) to \(target)")
        case .warning(let site, let code, let message, let time):
            outcome.warnings.append(ScenarioOutcome.Warning(site: site, code: code, message: message, time: time))
            note("warning \(site?.rawValue ?? "-") \(code): \(message)")
        case .acknowledgement(let site, let device, let sequences):
            panels.acknowledge(site: site, device: device, sequences: sequences)
            outcome.unacknowledgedAtEnd = panels.unacknowledgedCount
        case .clockAcknowledgement, .status:
            break
        }
    }

    /// Log lines since the last call, each prefixed with the simulation time.
    public mutating func takeLog() -> [String] {
        defer { log.removeAll() }
        return log
    }

    private mutating func note(_ text: String) {
        log.append("\(ScenarioTime.format(now))  \(text)")
    }

    private mutating func perform(_ action: ScheduledEvent.Action, stamp: Timestamp) -> [SimMessage] {
        switch action {
        case .alarm(let site, let device, let eventClass, let restore, let code, let panel):
            let out = panels.raise(
                site: site, device: device, eventClass: eventClass, restore: restore, code: code, panel: panel, now: now, stamp: stamp)
            note("ALARM \(site)/\(device) \(eventClass.rawValue)\(restore ? " restore" : "")\(out.isEmpty ? " (device cut off: not sent now)" : "")")
            return out
        case .camera(let site, let camera, let label, let zones, let score, let format):
            do {
                let out = try cameras.trigger(site: site, camera: camera, label: label, zones: zones, score: score, format: format, now: now, stamp: stamp)
                note("CAMERA \(site)/\(camera) \(label.rawValue)\(format == .frigate ? " (Frigate)" : "")")
                return out
            } catch {
                outcome.runErrors.append("\(ScenarioTime.format(now)) camera: \(error)")
                return []
            }
        case .fault(let site, let device, let fault):
            panels.setFault(fault, site: site, device: device, now: now)
            note("fault \(site)/\(device): \(fault.map { "\($0)" } ?? "cleared")")
            return []
        case .checkIn(let unit, let site, let present):
            note("\(unit) checks \(present ? "in at" : "out of") \(site)")
            return [SimMessage(.checkIn(CheckIn(unit: unit, site: site, method: .tag, present: present, time: stamp)))]
        case .unitStatus(let unit, let state):
            note("\(unit) reports \(state.rawValue)")
            return [SimMessage(.unitStatus(UnitStatusReport(unit: unit, state: state, time: stamp)))]
        case .frigate(let online):
            note("Frigate \(online ? "online" : "offline")")
            return [SimMessage(.video(.frigate(online: online)))]
        }
    }

    /// Problems with the scenario's names against the configuration.
    public static func problems(_ scenario: Scenario, configuration: WatchConfiguration) -> [String] {
        let directory = SiteDirectory(configuration)
        var problems: [String] = []
        func check(_ site: SiteID, _ device: DeviceID?, _ what: String) {
            guard directory.site(site) != nil else { return problems.append("\(what): unknown site \(site)") }
            if let device, directory.device(device, at: site) == nil { problems.append("\(what): no device \(device) at \(site)") }
        }
        for (i, e) in scenario.events.enumerated() {
            let what = "events[\(i)] at \(ScenarioTime.format(e.at))"
            switch e.action {
            case .alarm(let s, let d, _, _, _, _), .fault(let s, let d, _): check(s, d, what)
            case .camera(let s, let c, _, _, _, _): check(s, c, what)
            case .checkIn(let u, let s, _):
                check(s, nil, what)
                if directory.unit(u) == nil { problems.append("\(what): unknown unit \(u)") }
            case .unitStatus(let u, _):
                if directory.unit(u) == nil { problems.append("\(what): unknown unit \(u)") }
            case .frigate:
                if configuration.frigate.cameras.isEmpty { problems.append("\(what): frigate: the configuration maps no Frigate camera") }
            }
        }
        for unit in scenario.units.keys.sorted() where directory.unit(unit) == nil { problems.append("patrol.units: unknown unit \(unit)") }
        for e in scenario.expectation.incidents where directory.site(e.site) == nil { problems.append("expect: unknown site \(e.site)") }
        return problems
    }
}

extension Timestamp {
    func clamped(after lower: Timestamp, end: Timestamp) -> Timestamp {
        min(max(self, lower + Milliseconds(1)), max(end, lower + Milliseconds(1)))
    }
}
