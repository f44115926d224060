import PropertyWatchCore

/// Everything the daemon did during a simulated night, as the simulators saw it: incidents
/// with their transitions, guard requests, the units' replies and escalations; warnings; and
/// the acknowledgement balance. `render()` is canonical, so two runs compare as text.
public struct ScenarioOutcome: Sendable, Hashable {
    /// One incident as observed on the daemon's topics.
    public struct IncidentRecord: Sendable, Hashable {
        public var id: IncidentID
        public var site: SiteID
        public var transitions: [IncidentTransition] = []
        public var requests: [GuardRequest] = []
        /// Later revisions of those requests (the incident changed while a unit held one).
        public var updates: [GuardRequest] = []
        public var replies: [GuardReply] = []
        public var escalations: [Escalation] = []

        public var openedAt: Timestamp? { (transitions.map(\.time) + requests.map(\.issuedAt)).min() }
        public var highestPriority: IncidentPriority? { (transitions.map(\.priority) + requests.map(\.priority)).max() }
        public var finalState: IncidentState? { transitions.last?.to }
        public var states: Set<IncidentState> { Set(transitions.map(\.to)) }
        public var requestedUnits: [UnitID] { requests.map(\.unit) }
        public var acceptedBy: UnitID? { replies.last { $0.kind == .accepted }?.unit }
        public var verification: Verification? {
            (requests + updates).max { ($0.issuedAt, $0.revision) < ($1.issuedAt, $1.revision) }?.verification
        }
        public var escalationTargets: [String] { Array(Set(escalations.map(\.target))).sorted() }
    }

    public struct Escalation: Sendable, Hashable {
        public var target: String
        public var time: Timestamp
    }

    public struct Warning: Sendable, Hashable {
        public var site: SiteID?
        public var code: String
        public var message: String
        public var time: Timestamp
    }

    public private(set) var incidents: [IncidentID: IncidentRecord] = [:]
    public var warnings: [Warning] = []
    /// Alarm events sent for the first time, and those still unacknowledged at the end.
    public var eventsSent = 0
    public var unacknowledgedAtEnd = 0
    /// Problems of the run itself (a scenario event that could not be sent).
    public var runErrors: [String] = []

    public init() {}

    /// Incidents in the order they were opened.
    public var orderedIncidents: [IncidentRecord] {
        incidents.values.sorted { ($0.openedAt ?? Timestamp(millisecondsSinceEpoch: 0), $0.id) < ($1.openedAt ?? Timestamp(millisecondsSinceEpoch: 0), $1.id) }
    }

    mutating func record(_ t: IncidentTransition) {
        incidents[t.incident, default: IncidentRecord(id: t.incident, site: t.site)].transitions.append(t)
    }

    mutating func record(_ r: GuardRequest) {
        if r.revision > 1 {
            incidents[r.incident, default: IncidentRecord(id: r.incident, site: r.site)].updates.append(r)
        } else {
            incidents[r.incident, default: IncidentRecord(id: r.incident, site: r.site)].requests.append(r)
        }
    }

    mutating func record(_ reply: GuardReply) {
        incidents[reply.incident]?.replies.append(reply)
    }

    mutating func record(escalation target: String, incident: IncidentID, time: Timestamp) {
        incidents[incident]?.escalations.append(Escalation(target: target, time: time))
    }

    /// The canonical text: times in Stockholm local time, incidents in opening order.
    public func render() -> String {
        var lines: [String] = []
        for i in orderedIncidents {
            lines.append("incident \(i.id) at \(i.site): priority \(i.highestPriority?.name ?? "-"), state \(i.finalState?.rawValue ?? "-"), "
                + "verification \(i.verification?.rawValue ?? "-"), requested [\(i.requestedUnits.map(\.rawValue).joined(separator: ", "))], "
                + "accepted by \(i.acceptedBy?.rawValue ?? "-"), escalations [\(i.escalationTargets.joined(separator: ", "))]")
            var events: [(Timestamp, Int, String)] = []
            for (n, t) in i.transitions.enumerated() {
                events.append((t.time, n, "\(t.from?.rawValue ?? "-") → \(t.to.rawValue) (\(t.priority.name)): \(t.cause)"))
            }
            for (n, r) in i.requests.enumerated() {
                events.append((r.issuedAt, 1000 + n, "request \(r.requestID) to \(r.unit), attempt \(r.attempt), \(r.priority.name), verification \(r.verification.rawValue)"))
            }
            for (n, r) in i.updates.enumerated() {
                events.append((r.issuedAt, 1500 + n, "update \(r.requestID) r\(r.revision) to \(r.unit): \(r.changes.joined(separator: "; "))"))
            }
            for (n, r) in i.replies.enumerated() {
                events.append((r.time, 2000 + n, "reply from \(r.unit): \(r.kind.rawValue)\(r.outcome.map { " (\($0.rawValue))" } ?? "")"))
            }
            for (n, e) in i.escalations.enumerated() {
                events.append((e.time, 3000 + n, "escalation to \(e.target)"))
            }
            for e in events.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
                lines.append("  \(ScenarioTime.format(e.0))  \(e.2)")
            }
        }
        for w in warnings {
            lines.append("warning \(ScenarioTime.format(w.time)) \(w.site?.rawValue ?? "-") \(w.code): \(w.message)")
        }
        lines.append("events sent \(eventsSent), unacknowledged at end \(unacknowledgedAtEnd)")
        for e in runErrors { lines.append("run error: \(e)") }
        return lines.joined(separator: "\n")
    }
}
