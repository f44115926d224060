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
        for t in records.transitions where t.incident == incident {
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
        let order = ["state": 0, "guard-request": 1, "reply": 2, "escalation": 3]
        entries.sort { ($0.time, order[$0.kind] ?? 4) < ($1.time, order[$1.kind] ?? 4) }
        return IncidentTimeline(incident: incident, site: site, siteName: siteName, entries: entries)
    }
}
