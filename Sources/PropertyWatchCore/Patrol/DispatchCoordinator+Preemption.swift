/// A higher-priority incident taking a unit from a lower one when no unit is free
/// (`DispatchPolicy.preemptFrom`), and the queue of incidents left waiting for a unit.
///
/// The lower incident is never dropped: it is asked of another free unit, or queued and asked
/// of the first unit that becomes free (the unit taken from it included).
extension DispatchCoordinator {
    /// Takes the best unit busy with a lower-priority incident for `d`; false when policy or
    /// the units allow none.
    mutating func preempt(for d: inout IncidentDispatch, now: Timestamp, reason: String?, into actions: inout [DispatchAction]) -> Bool {
        guard let from = policy.preemptFrom, d.incident.priority >= from, let site = directory.site(d.incident.site) else { return false }
        let required = policy.requiredCapabilities[d.incident.priority] ?? []
        var best: (unit: UnitID, lower: IncidentID, travel: Int64)?
        for unit in unitIDs where d.asked[unit] == nil {
            guard let track = units[unit], track.reported != .offDuty, isOnShift(unit, at: now),
                let lowerID = track.incident, lowerID != d.incident.id, let lower = incidents[lowerID], !lower.ended,
                lower.incident.priority < d.incident.priority,
                required.isSubset(of: directory.unit(unit)?.capabilities ?? [])
            else { continue }
            let holds = lower.pending?.unit == unit
                || (lower.assigned == unit && (lower.progress.map { $0 < .onSite } ?? true || policy.preemptOnSite)
                    && lower.progress != .cleared)
            guard holds else { continue }
            let travel = location(of: unit).map { planner.travel.travelTime(from: $0, to: site.location).value } ?? .max
            if best.map({ (travel, unit) < ($0.travel, $0.unit) }) ?? true { best = (unit, lowerID, travel) }
        }
        guard let best, var lower = incidents[best.lower] else { return false }
        if lower.pending?.unit == best.unit {
            lower.pending = nil
        } else {
            lower.assigned = nil
            lower.progress = nil
        }
        // It did not refuse: it may be asked again once free.
        lower.asked[best.unit] = nil
        lower.sent = nil
        units[best.unit]?.incident = nil
        actions.append(.warning(site: lower.incident.site, code: "pre-empted",
            message: "\(best.unit) taken from \(lower.incident.id) (\(lower.incident.priority.name)) for \(d.incident.id) (\(d.incident.priority.name))"))
        let eta = best.travel == .max ? nil : now + Milliseconds(best.travel)
        let why = [reason, "pre-empting \(lower.incident.id)"].compactMap { $0 }.joined(separator: "; ")
        request(Candidate(unit: best.unit, eta: eta, preferred: false, cost: 0, insertion: nil), for: &d, now: now, reason: why, into: &actions)
        let again = "\(best.unit) taken for \(d.incident.id) (\(d.incident.priority.name))"
        if let next = candidates(for: lower, now: now).first {
            request(next, for: &lower, now: now, reason: again, into: &actions)
        } else {
            enqueue(&lower, reason: again, into: &actions)
        }
        incidents[best.lower] = lower
        return true
    }

    /// Leaves `d` waiting for the first unit that becomes free.
    mutating func enqueue(_ d: inout IncidentDispatch, reason: String, into actions: inout [DispatchAction]) {
        guard !d.queued else { return }
        d.queued = true
        queue.append(d.incident.id)
        actions.append(.warning(site: d.incident.site, code: "queued",
            message: "\(reason); \(d.incident.id) waits for the first unit free"))
    }

    /// Asks free units for queued incidents: highest priority first, then the site's own
    /// priority (`sites[].priority`, higher wins when incidents compete for a unit), then oldest.
    mutating func serveQueue(now: Timestamp, into actions: inout [DispatchAction]) {
        guard !queue.isEmpty else { return }
        queue.removeAll { incidents[$0].map { $0.ended || !$0.queued } ?? true }
        func sitePriority(_ i: Incident) -> Int { directory.site(i.site)?.priority ?? 5 }
        queue.sort { a, b in
            let (x, y) = (incidents[a]!.incident, incidents[b]!.incident)
            return (-x.priority.rawValue, -sitePriority(x), x.openedAt, x.id) < (-y.priority.rawValue, -sitePriority(y), y.openedAt, y.id)
        }
        for id in queue {
            guard var d = incidents[id], let next = candidates(for: d, now: now).first else { continue }
            d.queued = false
            request(next, for: &d, now: now, reason: "\(next.unit) free again", into: &actions)
            incidents[id] = d
        }
        queue.removeAll { incidents[$0].map { !$0.queued } ?? true }
    }
}
