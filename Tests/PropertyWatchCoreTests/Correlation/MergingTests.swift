import Testing
@testable import PropertyWatchCore

@Suite struct MergingTests {
    @Test func higherPriorityJoinsAndRaises() throws {
        var engine = Fixture.engine()
        let first = try #require(engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0).dispatched.first)
        let fire = engine.handle(Fixture.alarm("smoke-1", .fire, seq: 1), now: Fixture.sec(60))
        #expect(fire.transitions == [IncidentTransition(
            incident: first.id, site: Fixture.school, from: .new, to: .new, priority: .fire,
            cause: "priority raised to fire: fire smoke-1 (zone corridor)", time: Fixture.sec(60), kind: .fire)])
        #expect(fire.dispatched.map(\.id) == [first.id])
        // Lower priority joins without actions.
        #expect(engine.handle(Fixture.alarm("panel", .tamper, seq: 1), now: Fixture.sec(120)).effects.isEmpty)
        #expect(engine.openIncidents.count == 1)
        #expect(engine.openIncidents.first?.triggers.count == 3)
    }

    /// The merge window counts from the incident's last event and is inclusive.
    @Test(arguments: [(Int64(30 * 60), 1), (Int64(30 * 60 + 1), 2)])
    func mergeWindow(after seconds: Int64, incidents: Int) {
        var engine = Fixture.engine()
        _ = engine.handle(Fixture.alarm("panel", .tamper, seq: 1), now: Fixture.t0)
        _ = engine.handle(Fixture.alarm("panel", .tamper, seq: 2), now: Fixture.sec(seconds))
        #expect(engine.openIncidents.count == incidents)
    }

    @Test func priorityOrderTable() {
        let order: [IncidentPriority] = [.fire, .holdUp, .verifiedIntrusion, .vandalism, .unverifiedIntrusion, .tamper, .trouble]
        #expect(order == order.sorted(by: >))
    }

    @Test func troubleIsOpenedNotDispatched() {
        var engine = Fixture.engine()
        let actions = engine.handle(Fixture.alarm("panel", .trouble, seq: 1), now: Fixture.t0)
        #expect(actions.transitions.map(\.priority) == [.trouble])
        #expect(actions.dispatched.isEmpty)
        // Rising to tamper makes it dispatchable.
        #expect(engine.handle(Fixture.alarm("panel", .tamper, seq: 2), now: Fixture.sec(1)).dispatched.map(\.priority) == [.tamper])
    }

    @Test func incidentIDsAreDeterministic() {
        var engine = Fixture.engine()
        let id = engine.handle(Fixture.alarm("pir-1", seq: 1), now: Fixture.t0).dispatched.first?.id
        #expect(id == IncidentID("\(StockholmTime.local(Fixture.t0).date)-0001"))
    }
}
