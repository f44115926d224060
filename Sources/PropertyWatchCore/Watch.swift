/// The whole of PropertyWatch's decision-making as one deterministic state machine:
/// inbound messages, operator commands and the passing of time go in, `WatchAction`s come out.
///
/// It composes the `CorrelationEngine` (events → incidents) and the `DispatchCoordinator`
/// (incidents and patrol units → guard requests and escalation). The engine owns every
/// incident's state and reports every transition; the coordinator reports what happened in
/// dispatch (a unit asked, acknowledging, en route, on site, clearing; escalation) as
/// `DispatchFact`s, which are handed to the engine where they occur among the coordinator's
/// actions. Guard replies go to the coordinator only.
///
/// Timers due before a message always fire before it, as of their own deadlines, so the same
/// input sequence gives the same actions however often `tick` is called: replaying the
/// journal rebuilds the state exactly, and so does restoring a `WatchSnapshot` and replaying
/// only what came after it.
public struct Watch: Sendable {
    public let directory: SiteDirectory
    public internal(set) var correlation: CorrelationEngine
    public internal(set) var dispatch: DispatchCoordinator
    /// `dispatch.nextDeadline`, kept current after every call into the coordinator, so a
    /// message that does not touch dispatch does not touch the coordinator either.
    var dispatchDeadline: Timestamp?
    /// Each incident's transition counter (`IncidentTransition.sequence`).
    var numbering = TransitionNumbering()

    /// - Parameters:
    ///   - correlationPolicy: the rules; defaults to the configuration's (`rules`, and each site's).
    ///   - schedule: opening hours per site; defaults to each site's `SiteSchedule`.
    public init(
        directory: SiteDirectory, correlationPolicy: CorrelationPolicy? = nil,
        dispatchPolicy: DispatchPolicy = DispatchPolicy(), schedule: (any ArmSchedule)? = nil
    ) {
        self.directory = directory
        self.correlation = CorrelationEngine(
            directory: directory, policy: correlationPolicy ?? CorrelationPolicy(defaults: directory.configuration.rules),
            schedule: schedule)
        self.dispatch = DispatchCoordinator(directory: directory, policy: dispatchPolicy)
    }

    /// Handles one journaled message; `now` is its receive time.
    public mutating func handle(_ message: InboundMessage, now: Timestamp) -> [WatchAction] {
        var out: [WatchAction] = []
        handle(message, now: now, ref: correlation.resolve(message), into: &out)
        return out
    }

    /// Handles journaled messages in order, each with its receive time: the same actions in the
    /// same order, and the same state, as `handle(_:now:)` for each in turn, with the engine's
    /// state for later messages prefetched (see `CorrelationEngine.handle(batch:)`).
    public mutating func handle(batch: [(InboundMessage, Timestamp)]) -> [WatchAction] {
        var out: [WatchAction] = []
        for i in batch.indices {
            correlation.prefetchAhead(of: i, in: batch)
            handle(batch[i].0, now: batch[i].1, ref: correlation.resolve(batch[i].0), into: &out)
        }
        return out
    }

    private mutating func handle(_ message: InboundMessage, now: Timestamp, ref: DeviceRef?, into out: inout [WatchAction]) {
        tick(now: now, into: &out)
        route(correlation.handle(message, now: now, ref: ref), now: now, into: &out)
        switch message {
        case .position(let p): feed(.position(p), now: now, into: &out)
        case .checkIn(let c): feed(.checkIn(c), now: now, into: &out)
        case .unitStatus(let s): feed(.unitStatus(s), now: now, into: &out)
        case .reply(let r): feed(.reply(r), now: now, into: &out)
        case .alarm, .camera, .heartbeat, .video: break
        }
    }

    /// Lets time pass: timers of both parts fire in order.
    public mutating func tick(now: Timestamp) -> [WatchAction] {
        var out: [WatchAction] = []
        tick(now: now, into: &out)
        return out
    }

    private mutating func tick(now: Timestamp, into out: inout [WatchAction]) {
        route(correlation.tick(now: now), now: now, into: &out)
        if let due = dispatchDeadline, due <= now {
            let actions = dispatch.tick(now: now)
            dispatchDeadline = dispatch.nextDeadline
            feedActions(actions, now: now, into: &out)
        }
    }

    /// The earliest instant at which `tick` has something to do.
    public var nextDeadline: Timestamp? {
        [correlation.nextDeadline, dispatchDeadline].compactMap { $0 }.min()
    }

    /// The daemon (re)starts at `now`: supervision starts afresh, and webhook attempts that
    /// were in flight count as failed. The pipeline journals each start, so replay repeats it.
    @discardableResult
    public mutating func resume(at now: Timestamp) -> [WatchAction] {
        correlation.resume(at: now)
        var out: [WatchAction] = []
        let actions = dispatch.resume(at: now)
        dispatchDeadline = dispatch.nextDeadline
        feedActions(actions, now: now, into: &out)
        return out
    }

    // MARK: operator commands

    /// A maintenance window: matching events are recorded, not dispatched.
    public mutating func silence(_ silence: Silence, now: Timestamp) -> [WatchAction] {
        var out = tick(now: now)
        route(correlation.silence(silence, now: now), now: now, into: &out)
        return out
    }

    /// An operator closes an incident; a unit underway is called off.
    public mutating func close(incident: IncidentID, by author: String, reason: String, now: Timestamp) -> [WatchAction] {
        var out = tick(now: now)
        route(correlation.close(incident: incident, by: author, reason: reason, now: now), now: now, into: &out)
        return out
    }

    /// An operator steers the patrol to a building tonight.
    public mutating func directCheck(site: SiteID, notBefore: Timestamp?, by author: String, reason: String, now: Timestamp) -> [WatchAction] {
        var out = tick(now: now)
        feed(.directedCheck(site: site, notBefore: notBefore, by: author, reason: reason), now: now, into: &out)
        return out
    }

    /// The result of one attempt to reach the guard company's central over its webhook.
    public mutating func centralDelivery(incident: IncidentID, idempotencyKey: String, succeeded: Bool, now: Timestamp) -> [WatchAction] {
        var out = tick(now: now)
        feed(.centralDelivery(incident: incident, idempotencyKey: idempotencyKey, succeeded: succeeded), now: now, into: &out)
        return out
    }

    // MARK: queries

    public var openIncidents: [Incident] { correlation.openIncidents }
    public var tonight: NightPlan { dispatch.tonight }

    // MARK: wiring

    private mutating func route(_ actions: [CorrelationAction], now: Timestamp, into out: inout [WatchAction]) {
        for action in actions {
            switch action {
            case .transition(let t):
                emit(.transition(t), into: &out)
                if t.to == .closed || t.to == .attributed {
                    feed(.incidentEnded(t.incident, reason: t.cause), now: now, into: &out)
                }
            case .dispatch(let incident):
                feed(.incidentNeedsGuard(incident), now: now, into: &out)
            case .cancelDispatch(let id, let reason):
                feed(.incidentEnded(id, reason: reason), now: now, into: &out)
            case .warning(let site, let code, let message):
                emit(.warning(site: site, code: code, message: message), into: &out)
            case .decision(let decision):
                emit(.decision(decision), into: &out)
            case .directedCheck(let site, let incident, let reason):
                feed(.incidentCheck(site: site, incident: incident, reason: reason), now: now, into: &out)
            case .fetchMissedVideo(let from, let until):
                emit(.fetchMissedVideo(from: from, until: until), into: &out)
            }
        }
    }

    private mutating func feed(_ input: DispatchInput, now: Timestamp, into out: inout [WatchAction]) {
        let actions = dispatch.handle(input, now: now)
        dispatchDeadline = dispatch.nextDeadline
        feedActions(actions, now: now, into: &out)
    }

    /// Appends `action` to the output, numbering it if it is a transition.
    private mutating func emit(_ action: WatchAction, into out: inout [WatchAction]) {
        guard case .transition(var t) = action else {
            out.append(action)
            return
        }
        numbering.number(&t)
        out.append(.transition(t))
    }

    /// Passes the coordinator's actions on, and its dispatch facts to the engine, whose
    /// transitions take the fact's place in the output.
    private mutating func feedActions(_ actions: [DispatchAction], now: Timestamp, into out: inout [WatchAction]) {
        for action in actions {
            if case .fact(let fact) = action {
                route(correlation.record(fact, now: now), now: now, into: &out)
            } else if let action = action.watchAction {
                emit(action, into: &out)
            }
        }
    }
}
