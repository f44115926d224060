extension NightReport {
    /// A plain-text summary for a terminal (`pwctl report`), in Stockholm time.
    public func text() -> String {
        var out = "PropertyWatch night report \(night) (12:00–12:00 Europe/Stockholm)\n"
        out += "as of \(LocalFormat.dateTime(asOf))\n\n"
        out += "Incidents: \(counts.incidents)"
        if !counts.incidentsByPriority.isEmpty {
            out += " (" + counts.incidentsByPriority.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        out += "\n"
        for i in incidents {
            out += "  \(LocalFormat.time(i.openedAt))  \(i.id)  \(i.siteName)  \(i.priority)  \(i.state)"
            if let r = i.responseMs { out += "  on site after \(LocalFormat.duration(r))" }
            if !i.units.isEmpty { out += "  units \(i.units.joined(separator: ","))" }
            out += "\n"
        }
        out += "\nGuard requests: \(counts.guardRequests), escalations: \(counts.escalations)\n"
        for d in dispatches {
            out += "  \(LocalFormat.time(d.time))  \(d.incident) → \(d.unit) (attempt \(d.attempt)) \(d.siteName): \(d.answer)\n"
        }
        for e in escalations { out += "  \(LocalFormat.time(e.time))  \(e.incident) escalated to \(e.target)\n" }
        let byStatus = Dictionary(grouping: visits, by: \.status).mapValues(\.count)
        out += "\nPlanned visits: \(visits.count)"
        if !byStatus.isEmpty { out += " (" + byStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")" }
        out += "\n"
        for v in visits where v.status != "off-duty" {
            out += "  \(LocalFormat.time(v.windowStart))–\(LocalFormat.time(v.windowEnd))  \(v.unit)  \(v.siteName)  \(v.status)"
            if let c = v.checkedInAt { out += " at \(LocalFormat.time(c))" }
            out += "\n"
        }
        out += "\nDirected checks: \(directedChecks.count)\n"
        for c in directedChecks {
            out += "  \(LocalFormat.time(c.requestedAt))  \(c.siteName) by \(c.author): " + (c.visitedAt.map { "visited \(LocalFormat.time($0))" } ?? "not visited") + "\n"
        }
        out += "\nSupervision outages: \(supervisionOutages.count)\n"
        for o in supervisionOutages {
            out += "  \(LocalFormat.time(o.from))–" + (o.to.map(LocalFormat.time) ?? "open") + "  \(o.siteName)  \(o.message)\n"
        }
        out += "\nAttributed \(counts.attributed), closed without dispatch \(counts.closedWithoutDispatch), "
        out += "cancelled \(counts.cancelled), silences \(counts.silences), rejected \(counts.rejectedByReason.values.reduce(0, +))\n"
        out += "\nOperator actions: \(operatorActions.count)\n"
        for a in operatorActions {
            out += "  \(LocalFormat.time(a.time))  \(a.author)  \(a.action)" + (a.incident.map { " \($0)" } ?? "") + (a.site.map { " \($0)" } ?? "") + ": \(a.detail)\n"
        }
        return out
    }
}
