/// The whole of PropertyWatch's decision-making as one deterministic state machine:
/// inbound messages and the passing of time go in, `WatchAction`s come out.
///
/// Walking-skeleton version: every intrusion, fire or hold-up at a configured site opens an
/// incident and requests the first configured unit, once per (device, event id).
public struct Watch: Sendable {
    public let directory: SiteDirectory
    private var seenEvents: Set<String> = []
    private var nextIncidentNumber: Int = 1

    public init(directory: SiteDirectory) {
        self.directory = directory
    }

    /// Handles one journaled message. `now` is the receive time assigned by the pipeline.
    public mutating func handle(_ message: InboundMessage, now: Timestamp) -> [WatchAction] {
        guard case .alarm(let event) = message, !event.isRestore else { return [] }
        let priority: IncidentPriority
        switch event.eventClass {
        case .intrusion: priority = .unverifiedIntrusion
        case .fire: priority = .fire
        case .holdUp: priority = .holdUp
        default: return []
        }
        let key = "\(event.site)/\(event.device)/\(event.eventID)"
        guard seenEvents.insert(key).inserted, let site = directory.site(event.site) else { return [] }
        let id = IncidentID("I\(nextIncidentNumber)")
        nextIncidentNumber += 1
        let trigger = "\(event.eventClass.rawValue) \(event.device)" + (event.zone.map { " (zone \($0))" } ?? "")
        var actions: [WatchAction] = [
            .transition(IncidentTransition(
                incident: id, site: site.id, from: nil, to: .new, priority: priority,
                cause: trigger, time: now))
        ]
        if let unit = directory.configuration.patrol.units.first {
            actions.append(.requestGuard(GuardRequest(
                requestID: "\(id)-1", incident: id, unit: unit.id, site: site.id, siteName: site.name,
                address: site.address, zones: event.zone.map { [$0] } ?? [], priority: priority,
                verification: .none, triggers: [trigger], issuedAt: now)))
            actions.append(.transition(IncidentTransition(
                incident: id, site: site.id, from: .new, to: .dispatched, priority: priority,
                cause: "requested \(unit.id)", time: now)))
        }
        return actions
    }

    /// Lets time pass: timers fire here (acknowledgement timeouts, supervision, windows).
    public mutating func tick(now: Timestamp) -> [WatchAction] { [] }
}
