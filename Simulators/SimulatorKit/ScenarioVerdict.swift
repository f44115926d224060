import PropertyWatchCore

/// The comparison of a night's outcome with what its scenario expects.
public struct ScenarioVerdict: Sendable, Hashable {
    public var mismatches: [String]
    /// Which observed incident each expected one matched (nil: none).
    public var matches: [IncidentID?]

    public var passed: Bool { mismatches.isEmpty }

    /// Expected incidents are matched, in order, to the first not yet matched observed incident
    /// at the same site (in opening order) that satisfies every stated field; failing that, to
    /// the first at the site, whose differences are reported.
    public init(expectation e: ScenarioExpectation, outcome: ScenarioOutcome) {
        var mismatches: [String] = outcome.runErrors.map { "run error: \($0)" }
        var matches: [IncidentID?] = []
        let observed = outcome.orderedIncidents
        var used: Set<IncidentID> = []
        for (n, expected) in e.incidents.enumerated() {
            let candidates = observed.filter { $0.site == expected.site && !used.contains($0.id) }
            let label = "expected incident \(n + 1) at \(expected.site)"
            guard let chosen = candidates.first(where: { Self.differences(expected, $0).isEmpty }) ?? candidates.first else {
                mismatches.append("\(label): no such incident")
                matches.append(nil)
                continue
            }
            used.insert(chosen.id)
            matches.append(chosen.id)
            mismatches += Self.differences(expected, chosen).map { "\(label) (\(chosen.id)): \($0)" }
        }
        for incident in observed where !used.contains(incident.id) {
            if !incident.requests.isEmpty {
                mismatches.append("unexpected guard request(s) \(incident.requests.map { "\($0.requestID) to \($0.unit)" }.joined(separator: ", ")) for incident \(incident.id) at \(incident.site) (\(incident.highestPriority?.name ?? "-"))")
            } else if e.onlyListedIncidents {
                mismatches.append("unexpected incident \(incident.id) at \(incident.site) (\(incident.highestPriority?.name ?? "-"), \(incident.finalState?.rawValue ?? "-")): \(incident.transitions.first?.cause ?? "")")
            }
        }
        for w in e.warnings where !outcome.warnings.contains(where: { $0.code == w.code && (w.site == nil || $0.site == w.site) }) {
            mismatches.append("missing warning \(w.code)\(w.site.map { " at \($0)" } ?? "")")
        }
        for code in e.forbiddenWarnings {
            for w in outcome.warnings where w.code == code {
                mismatches.append("forbidden warning \(code) at \(w.site?.rawValue ?? "-"): \(w.message)")
            }
        }
        if e.allAcknowledged, outcome.unacknowledgedAtEnd > 0 {
            mismatches.append("\(outcome.unacknowledgedAtEnd) event(s) never acknowledged by the daemon")
        }
        self.mismatches = mismatches
        self.matches = matches
    }

    static func differences(_ e: ExpectedIncident, _ o: ScenarioOutcome.IncidentRecord) -> [String] {
        var d: [String] = []
        if let p = e.priority, o.highestPriority != p { d.append("priority \(o.highestPriority?.name ?? "-"), expected \(p.name)") }
        if let v = e.verification, o.verification != v { d.append("verification \(o.verification?.rawValue ?? "- (no guard request)"), expected \(v.rawValue)") }
        if let s = e.state, o.finalState != s { d.append("final state \(o.finalState?.rawValue ?? "-"), expected \(s.rawValue)") }
        for s in e.states where !o.states.contains(s) { d.append("never \(s.rawValue)") }
        if let r = e.requested, o.requestedUnits != r {
            d.append("requested [\(o.requestedUnits.map(\.rawValue).joined(separator: ", "))], expected [\(r.map(\.rawValue).joined(separator: ", "))]")
        }
        if let a = e.acceptedBy, o.acceptedBy != a { d.append("accepted by \(o.acceptedBy?.rawValue ?? "nobody"), expected \(a)") }
        if let x = e.escalations, o.escalationTargets != x.sorted() {
            d.append("escalations [\(o.escalationTargets.joined(separator: ", "))], expected [\(x.sorted().joined(separator: ", "))]")
        }
        if let c = e.causeContains, !o.transitions.contains(where: { $0.cause.contains(c) }) { d.append("no transition cause contains \"\(c)\"") }
        return d
    }

    /// A readable pass/fail report.
    public func report(scenario: Scenario, outcome: ScenarioOutcome) -> String {
        var lines = ["scenario \(scenario.name): \(passed ? "PASS" : "FAIL")"]
        if !scenario.description.isEmpty { lines.append("  \(scenario.description)") }
        lines.append("  night \(ScenarioTime.formatFull(scenario.start)) – \(ScenarioTime.formatFull(scenario.end)), seed \(scenario.seed)")
        for m in mismatches { lines.append("  MISMATCH \(m)") }
        lines.append("outcome:")
        lines.append(contentsOf: outcome.render().split(separator: "\n").map { "  " + $0 })
        return lines.joined(separator: "\n")
    }
}
