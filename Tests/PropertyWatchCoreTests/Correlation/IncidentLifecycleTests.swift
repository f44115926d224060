import Testing
@testable import PropertyWatchCore

@Suite struct IncidentLifecycleTests {
    typealias E = IncidentLifecycle.Event

    /// Every allowed transition; everything else is refused.
    static let allowed: [IncidentState: [E: IncidentState]] = [
        .new: [.dispatch: .dispatched, .escalate: .escalated, .close: .closed],
        .dispatched: [.dispatch: .dispatched, .acknowledge: .acknowledged, .arrive: .onSite, .clear: .cleared,
                      .escalate: .escalated, .close: .closed],
        .acknowledged: [.dispatch: .dispatched, .acknowledge: .acknowledged, .arrive: .onSite, .clear: .cleared,
                        .escalate: .escalated, .close: .closed],
        .onSite: [.dispatch: .dispatched, .acknowledge: .acknowledged, .clear: .cleared, .escalate: .escalated, .close: .closed],
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
        #expect(engine.dispatched(id, now: Fixture.sec(5)).transitions.map(\.to) == [.dispatched])
        let ack = engine.record(id, .acknowledged(unit: "P1"), cause: "P1 accepted", now: Fixture.sec(10))
        #expect(ack.transitions.map(\.to) == [.acknowledged])
        #expect(ack.transitions.first?.cause == "P1 accepted")
        // Dispatch transitions carry the coordinator's times and, as they always did, no kind.
        #expect(ack.transitions.first?.times == IncidentTimes(alarm: Fixture.sec(10)))
        #expect(ack.transitions.first?.kind == nil)
        // En route keeps the state.
        let enRoute = engine.record(id, .enRoute(unit: "P1"), cause: "P1 en route", now: Fixture.sec(11)).transitions
        #expect(enRoute.map { "\($0.from!)→\($0.to)" } == ["acknowledged→acknowledged"])
        // A guard reply is the coordinator's: the engine learns of it only as a fact.
        #expect(engine.handle(.reply(GuardReply(unit: "P1", incident: id, kind: .arrived, time: Fixture.sec(600))), now: Fixture.sec(600)).isEmpty)
        #expect(engine.openIncidents.map(\.state) == [.acknowledged])
        #expect(engine.record(id, .onSite(unit: "P1"), cause: "P1 on site", now: Fixture.sec(600)).transitions.map(\.to) == [.onSite])
        let cleared = engine.record(id, .cleared(unit: "P1", outcome: .falseAlarm), cause: "P1 cleared: false-alarm – open window", now: Fixture.sec(900))
        #expect(cleared.transitions.map(\.to) == [.cleared])
        #expect(cleared.transitions.first?.cause == "P1 cleared: false-alarm – open window")
        #expect(engine.openIncidents.isEmpty)
        // Anything after the end is an unknown incident.
        #expect(engine.close(incident: id, by: "op", reason: "x", now: Fixture.sec(901)).warningCodes == ["unknown-incident"])
        #expect(engine.record(id, .enRoute(unit: "P1"), cause: "P1 en route", now: Fixture.sec(902)).warningCodes == ["unknown-incident"])
    }

    @Test func invalidTransitionsAreRefused() throws {
        var engine = Fixture.engine()
        let id = try openIntrusion(&engine)
        let refused = engine.record(id, .cleared(unit: "P1", outcome: .intrusion), cause: "P1 cleared", now: Fixture.sec(1))
        #expect(refused.warningCodes == ["invalid-transition"])
        #expect(refused.transitions.isEmpty)
        #expect(engine.openIncidents.map(\.state) == [.new])
        #expect(engine.record(id, .onSite(unit: "P1"), cause: "P1 on site", now: Fixture.sec(2)).warningCodes == ["invalid-transition"])
    }

    @Test func closingADispatchedIncidentCancelsTheUnit() throws {
        var engine = Fixture.engine()
        let id = try openIntrusion(&engine)
        _ = engine.dispatched(id, now: Fixture.sec(1))
        _ = engine.record(id, .escalated, cause: "no answer in 2 min", now: Fixture.sec(121))
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
