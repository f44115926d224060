import Testing
@testable import PropertyWatchCore

@Suite struct IncidentLifecycleTests {
    typealias E = IncidentLifecycle.Event

    /// Every allowed transition; everything else is refused.
    static let allowed: [IncidentState: [E: IncidentState]] = [
        .new: [.dispatch: .dispatched, .escalate: .escalated, .close: .closed],
        .dispatched: [.dispatch: .dispatched, .acknowledge: .acknowledged, .arrive: .onSite, .clear: .cleared,
                      .escalate: .escalated, .close: .closed],
        .acknowledged: [.dispatch: .dispatched, .arrive: .onSite, .clear: .cleared, .escalate: .escalated, .close: .closed],
        .onSite: [.dispatch: .dispatched, .clear: .cleared, .escalate: .escalated, .close: .closed],
        .escalated: [.dispatch: .dispatched, .acknowledge: .acknowledged, .arrive: .onSite, .clear: .cleared,
                     .escalate: .escalated, .close: .closed],
        .cleared: [:], .closed: [:], .attributed: [:],
    ]

    @Test(arguments: IncidentState.allCases)
    func transitionTable(state: IncidentState) {
        for event in E.allCases {
            #expect(IncidentLifecycle.next(from: state, on: event) == Self.allowed[state]?[event], "\(state) on \(event)")
        }
        #expect(IncidentLifecycle.isTerminal(state) == (Self.allowed[state]?.isEmpty ?? true))
    }

    private func openIntrusion(_ engine: inout CorrelationEngine) throws -> IncidentID {
        let actions = engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0)
        return try #require(actions.dispatched.first).id
    }

    @Test func fullLifecycleToCleared() throws {
        var engine = Fixture.engine()
        let id = try openIntrusion(&engine)
        #expect(engine.markDispatched(id, unit: "P1", now: Fixture.sec(5)).transitions.map(\.to) == [.dispatched])
        let ack = engine.record(guardUpdate: GuardReply(unit: "P1", incident: id, kind: .accepted, time: Fixture.sec(10)), now: Fixture.sec(10))
        #expect(ack.transitions.map(\.to) == [.acknowledged])
        #expect(ack.transitions.first?.cause == "P1 accepted")
        // en-route after accepted is not a new transition and not an error.
        #expect(engine.record(guardUpdate: GuardReply(unit: "P1", incident: id, kind: .enRoute, time: Fixture.sec(11)), now: Fixture.sec(11)).isEmpty)
        #expect(engine.handle(.reply(GuardReply(unit: "P1", incident: id, kind: .arrived, time: Fixture.sec(600))), now: Fixture.sec(600)).transitions.map(\.to) == [.onSite])
        let cleared = engine.record(guardUpdate: GuardReply(unit: "P1", incident: id, kind: .cleared, outcome: .falseAlarm, note: "open window", time: Fixture.sec(900)), now: Fixture.sec(900))
        #expect(cleared.transitions.map(\.to) == [.cleared])
        #expect(cleared.transitions.first?.cause == "P1 cleared: false-alarm (open window)")
        #expect(engine.openIncidents.isEmpty)
        // Anything after the end is an unknown incident.
        #expect(engine.close(incident: id, by: "op", reason: "x", now: Fixture.sec(901)).warningCodes == ["unknown-incident"])
    }

    @Test func invalidTransitionsAreRefused() throws {
        var engine = Fixture.engine()
        let id = try openIntrusion(&engine)
        let refused = engine.record(guardUpdate: GuardReply(unit: "P1", incident: id, kind: .cleared, outcome: .intrusion, time: Fixture.sec(1)), now: Fixture.sec(1))
        #expect(refused.warningCodes == ["invalid-transition"])
        #expect(refused.transitions.isEmpty)
        #expect(engine.openIncidents.map(\.state) == [.new])
        #expect(engine.record(guardUpdate: GuardReply(unit: "P1", incident: id, kind: .arrived, time: Fixture.sec(2)), now: Fixture.sec(2)).warningCodes == ["invalid-transition"])
        #expect(engine.record(guardUpdate: GuardReply(unit: "P1", incident: id, kind: .declined, time: Fixture.sec(2)), now: Fixture.sec(2)).isEmpty)
    }

    @Test func closingADispatchedIncidentCancelsTheUnit() throws {
        var engine = Fixture.engine()
        let id = try openIntrusion(&engine)
        _ = engine.markDispatched(id, unit: "P1", now: Fixture.sec(1))
        _ = engine.markEscalated(id, cause: "no answer in 2 min", now: Fixture.sec(121))
        #expect(engine.openIncidents.map(\.state) == [.escalated])
        let actions = engine.close(incident: id, by: "anna", reason: "caretaker on site", now: Fixture.sec(200))
        #expect(actions == [
            .transition(IncidentTransition(incident: id, site: Fixture.school, from: .escalated, to: .closed,
                                           priority: .unverifiedIntrusion, cause: "closed by anna: caretaker on site", time: Fixture.sec(200),
                                           kind: .unverifiedIntrusion)),
            .cancelDispatch(id, reason: "closed by anna: caretaker on site"),
        ])
        #expect(engine.openIncidents.isEmpty)
    }

    @Test func closingAnUndispatchedIncidentCancelsNothing() throws {
        var engine = Fixture.engine()
        let id = try openIntrusion(&engine)
        let actions = engine.close(incident: id, by: "anna", reason: "test", now: Fixture.sec(1))
        #expect(actions.transitions.map(\.to) == [.closed])
        #expect(!actions.contains { if case .cancelDispatch = $0 { true } else { false } })
    }
}
