import PropertyWatchCore
import Testing
@testable import SimulatorKit

struct ScenarioVerdictTests {
    let t0 = SimulatorFixture.local("2026-11-25 22:00")

    func outcome() -> ScenarioOutcome {
        var o = ScenarioOutcome()
        o.record(IncidentTransition(incident: "A", site: "brohuset", from: nil, to: .new, priority: .vandalism, cause: "person cam-torget", time: t0))
        o.record(GuardRequest(requestID: "A-1", incident: "A", unit: "P2", site: "brohuset", siteName: "", address: "", zones: [],
                              priority: .vandalism, verification: .video, triggers: [], issuedAt: t0))
        o.record(IncidentTransition(incident: "A", site: "brohuset", from: .new, to: .dispatched, priority: .vandalism, cause: "requested P2", time: t0))
        o.record(GuardReply(unit: "P2", incident: "A", kind: .accepted, time: t0 + .seconds(20)))
        o.record(IncidentTransition(incident: "B", site: "broskolan", from: nil, to: .new, priority: .trouble, cause: "panel offline", time: t0 + .hours(1)))
        return o
    }

    @Test func matchingExpectationsPass() {
        let e = ScenarioExpectation(incidents: [
            ExpectedIncident(site: "brohuset", priority: .vandalism, verification: .video, states: [.dispatched], requested: ["P2"], acceptedBy: "P2", escalations: []),
            ExpectedIncident(site: "broskolan", priority: .trouble, requested: [], causeContains: "offline"),
        ])
        let v = ScenarioVerdict(expectation: e, outcome: outcome())
        #expect(v.passed, "\(v.mismatches)")
        #expect(v.matches == ["A", "B"])
    }

    @Test func everyDifferenceIsReported() {
        let e = ScenarioExpectation(incidents: [
            ExpectedIncident(site: "brohuset", priority: .fire, state: .cleared, requested: ["P1"], escalations: ["central"]),
            ExpectedIncident(site: "hagaskolan"),
        ], warnings: [ExpectedWarning(code: "flood")])
        let v = ScenarioVerdict(expectation: e, outcome: outcome())
        #expect(v.mismatches.contains { $0.contains("priority vandalism, expected fire") })
        #expect(v.mismatches.contains { $0.contains("final state dispatched, expected cleared") })
        #expect(v.mismatches.contains { $0.contains("requested [P2], expected [P1]") })
        #expect(v.mismatches.contains { $0.contains("escalations [], expected [central]") })
        #expect(v.mismatches.contains { $0.contains("hagaskolan: no such incident") })
        #expect(v.mismatches.contains { $0.contains("unexpected incident B at broskolan") })
        #expect(v.mismatches.contains { $0.contains("missing warning flood") })
    }

    @Test func unexpectedGuardRequestsFailEvenWhenOtherIncidentsMayHappen() {
        let e = ScenarioExpectation(incidents: [], onlyListedIncidents: false)
        let v = ScenarioVerdict(expectation: e, outcome: outcome())
        #expect(v.mismatches == ["unexpected guard request(s) A-1 to P2 for incident A at brohuset (vandalism)"])
    }
}
