/// Everything recorded about one incident, in time order: its state changes (with their
/// causes), guard requests, the units' replies, escalations and operators' actions.
public struct IncidentTimeline: Sendable, Codable, Equatable {
    public var incident: String
    public var site: String
    public var siteName: String
    public var entries: [Entry]

    /// One line of the timeline.
    public struct Entry: Sendable, Codable, Equatable {
        public var time: Int64
        /// `state`, `guard-request`, `reply`, `escalation` or an operator action.
        public var kind: String
        /// Who: the daemon, a unit, or an operator.
        public var actor: String
        public var text: String
    }

    /// The timeline of `incident` from `records` (pure).
    public static func make(incident: String, site: String, siteName: String, records: NightRecords) -> IncidentTimeline {
        var entries: [Entry] = []
        let own = records.transitions.filter { $0.incident == incident }
        if let first = own.first?.time, let last = own.last?.time {
            // The site's inputs from shortly before the incident opened until its last change.
            for input in records.inputs where input.site == site && input.time >= first - 10 * 60_000 && input.time <= last {
                entries.append(Entry(time: input.time, kind: "input", actor: input.device, text: input.text))
            }
        }
        for t in own {
            entries.append(Entry(time: t.time, kind: "state", actor: "propertywatchd", text: "\(t.from ?? "–") → \(t.to) (\(t.priority)): \(t.cause)"))
        }
        for r in records.guardRequests where r.incident == incident {
            let why = r.triggers.isEmpty ? "" : "; triggers: " + r.triggers.joined(separator: ", ")
            entries.append(Entry(time: r.time, kind: "guard-request", actor: "propertywatchd", text: "guard requested from \(r.unit) (attempt \(r.attempt), verification \(r.verification))\(why)"))
        }
        for m in records.unitMessages where m.kind == "reply" && m.incident == incident {
            entries.append(Entry(time: m.time, kind: "reply", actor: m.unit, text: "unit \(m.unit): \(m.state ?? "reply")"))
        }
        for e in records.escalations where e.incident == incident {
            entries.append(Entry(time: e.time, kind: "escalation", actor: "propertywatchd", text: "escalated to \(e.target)"))
        }
        for a in records.operatorActions where a.incident == incident {
            entries.append(Entry(time: a.time, kind: a.action, actor: a.author, text: a.detail))
        }
        let order = ["input": 0, "state": 1, "guard-request": 2, "reply": 3, "escalation": 4]
        entries.sort { ($0.time, order[$0.kind] ?? 5) < ($1.time, order[$1.kind] ?? 5) }
        return IncidentTimeline(incident: incident, site: site, siteName: siteName, entries: entries)
    }
}
