import Testing
@testable import PropertyWatchCore

/// A higher-priority incident taking a busy unit when none is free; the lower incident is
/// asked again or queued, never dropped.
@Suite struct PreemptionTests {
    typealias F = PatrolFixture

    /// P1 at s50 busy with an unverified intrusion there (`lower`), in the state `holder`.
    func busy(_ holder: GuardReply.Kind?, units: [UnitConfiguration] = F.units("P1"), policy: DispatchPolicy = DispatchPolicy()) -> DispatchCoordinator {
        var c = DispatchCoordinator(directory: F.directory(units: units), policy: policy)
        for (i, u) in units.enumerated() { _ = c.handle(F.position(u.id.rawValue, 50 + 5 * i, F.at(22, 59)), now: F.at(22, 59)) }
        let first = c.handle(.incidentNeedsGuard(F.incident("L", at: 50, .unverifiedIntrusion, openedAt: F.at(23))), now: F.at(23))
        #expect(first.requests.map(\.unit) == ["P1"])
        if let holder { _ = c.handle(F.reply("P1", holder, F.at(23, 0, 20), incident: "L"), now: F.at(23, 0, 20)) }
        return c
    }

    @Test(arguments: [nil, GuardReply.Kind.accepted, .enRoute])
    func aFireTakesTheUnitAndTheLowerIncidentIsQueued(holder: GuardReply.Kind?) throws {
        var c = busy(holder)
        let fire = c.handle(.incidentNeedsGuard(F.incident("F", at: 52, .fire, openedAt: F.at(23, 1))), now: F.at(23, 1))
        #expect(fire.requests.map(\.incident) == ["F"])
        #expect(fire.requests.map(\.unit) == ["P1"])
        #expect(fire.warningCodes == ["pre-empted", "queued", "on-call-notified"])
        #expect(fire.centralKeys.isEmpty)
        #expect(c.units["P1"]?.incident == "F")
        // P1 clears the fire: the queued incident is asked of it again (a new request).
        _ = c.handle(F.reply("P1", .accepted, F.at(23, 1, 20), incident: "F"), now: F.at(23, 1, 20))
        let cleared = c.handle(F.reply("P1", .cleared, F.at(23, 30), incident: "F", outcome: .falseAlarm), now: F.at(23, 30))
        let again = try #require(cleared.requests.first)
        #expect(again.incident == "L")
        #expect(again.unit == "P1")
        #expect(again.requestID == "L-2")
        #expect(c.queue.isEmpty)
    }

    /// Two incidents of one priority wait for a unit: the site with the higher `priority`
    /// (s58: 9, s50: 5) is served first, although its incident is younger.
    @Test func theSitesPriorityDecidesBetweenEqualIncidents() throws {
        let units = F.units("P1", "P2")
        var c = DispatchCoordinator(directory: F.directory(units: units), policy: DispatchPolicy())
        _ = c.handle(F.position("P1", 50, F.at(22, 59)), now: F.at(22, 59))
        _ = c.handle(F.position("P2", 58, F.at(22, 59)), now: F.at(22, 59))
        _ = c.handle(.incidentNeedsGuard(F.incident("L1", at: 50, .unverifiedIntrusion, openedAt: F.at(23))), now: F.at(23))
        _ = c.handle(.incidentNeedsGuard(F.incident("L2", at: 58, .unverifiedIntrusion, openedAt: F.at(23, 0, 30))), now: F.at(23, 0, 30))
        _ = c.handle(.incidentNeedsGuard(F.incident("F1", at: 51, .fire, openedAt: F.at(23, 1))), now: F.at(23, 1))
        _ = c.handle(.incidentNeedsGuard(F.incident("F2", at: 57, .fire, openedAt: F.at(23, 1))), now: F.at(23, 1))
        #expect(Set(c.queue) == ["L1", "L2"])
        let holder = try #require(c.units.first { $0.value.incident == "F1" }?.key)
        _ = c.handle(F.reply(holder.rawValue, .accepted, F.at(23, 1, 20), incident: "F1"), now: F.at(23, 1, 20))
        let freed = c.handle(F.reply(holder.rawValue, .cleared, F.at(23, 20), incident: "F1", outcome: .falseAlarm), now: F.at(23, 20))
        #expect(freed.requests.map(\.incident) == ["L2"])
    }

    @Test func theLowerIncidentGoesToAFreeUnitThatCannotTakeTheFire() throws {
        var policy = DispatchPolicy()
        policy.requiredCapabilities[.fire] = ["extinguisher"]
        let units = [UnitConfiguration(id: "P1", callSign: "P1", capabilities: ["extinguisher"]), UnitConfiguration(id: "P2", callSign: "P2")]
        var c = busy(.accepted, units: units, policy: policy)
        let fire = c.handle(.incidentNeedsGuard(F.incident("F", at: 52, .fire, openedAt: F.at(23, 1))), now: F.at(23, 1))
        #expect(fire.requests.map { "\($0.incident)>\($0.unit)" } == ["F>P1", "L>P2"])
        #expect(fire.warningCodes == ["pre-empted", "on-call-notified"])
        // The lower incident goes back to being dispatched, the fire is dispatched.
        #expect(fire.facts.map { "\($0.incident):\($0.to!.rawValue)" } == ["F:dispatched", "L:dispatched"])
    }

    @Test(arguments: [
        (IncidentPriority.fire, GuardReply.Kind.arrived, DispatchPolicy()),
        (.verifiedIntrusion, .accepted, DispatchPolicy()),
        (.fire, .accepted, DispatchPolicy(preemptFrom: nil)),
    ])
    func noPreemptionWhenPolicyOrStateForbidsIt(priority: IncidentPriority, holder: GuardReply.Kind, policy: DispatchPolicy) {
        var c = busy(holder, policy: policy)
        let actions = c.handle(.incidentNeedsGuard(F.incident("F", at: 52, priority, openedAt: F.at(23, 1))), now: F.at(23, 1))
        #expect(actions.requests.isEmpty)
        #expect(actions.warningCodes.filter { $0 != "on-call-notified" } == ["nobody-available"])
        #expect(c.units["P1"]?.incident == "L")
    }

    @Test func onSitePreemptionIsAPolicyChoice() {
        var c = busy(.arrived, policy: DispatchPolicy(preemptOnSite: true))
        let actions = c.handle(.incidentNeedsGuard(F.incident("F", at: 52, .fire, openedAt: F.at(23, 1))), now: F.at(23, 1))
        #expect(actions.requests.map(\.incident) == ["F"])
    }

    @Test func aQueuedIncidentThatEndsIsNotAskedAgain() {
        var c = busy(.accepted)
        _ = c.handle(.incidentNeedsGuard(F.incident("F", at: 52, .fire, openedAt: F.at(23, 1))), now: F.at(23, 1))
        _ = c.handle(.incidentEnded("L", reason: "closed by operator"), now: F.at(23, 5))
        _ = c.handle(F.reply("P1", .accepted, F.at(23, 5, 20), incident: "F"), now: F.at(23, 5, 20))
        let cleared = c.handle(F.reply("P1", .cleared, F.at(23, 30), incident: "F", outcome: .falseAlarm), now: F.at(23, 30))
        #expect(cleared.requests.isEmpty)
        #expect(c.queue.isEmpty)
    }
}
