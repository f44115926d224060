import Testing
@testable import PropertyWatchCore

/// An incident that changes while a unit holds its request: the unit is told (same request,
/// next revision, what changed), its answer deadline never shrinks, and nobody else is asked.
@Suite struct RequestUpdateTests {
    typealias F = PatrolFixture

    /// P1 at s50 (asked first), P2 at s52; an incident of `priority` at s50 at 23:00.
    func started(_ priority: IncidentPriority, policy: DispatchPolicy = DispatchPolicy()) -> (DispatchCoordinator, GuardRequest?) {
        var c = DispatchCoordinator(directory: F.directory(units: F.units("P1", "P2")), policy: policy)
        _ = c.handle(F.position("P1", 50, F.at(22, 59)), now: F.at(22, 59))
        _ = c.handle(F.position("P2", 52, F.at(22, 59)), now: F.at(22, 59))
        let actions = c.handle(.incidentNeedsGuard(F.incident(at: 50, priority, openedAt: F.at(23))), now: F.at(23))
        return (c, actions.requests.first)
    }

    enum Holder: String, CaseIterable { case asked, accepted, enRoute, onSite }

    @Test(arguments: Holder.allCases, [
        (IncidentPriority.unverifiedIntrusion, IncidentPriority.verifiedIntrusion, Verification.sequential),
        (.unverifiedIntrusion, .fire, .none),
        (.verifiedIntrusion, .verifiedIntrusion, .video),
        (.tamper, .holdUp, .none),
    ])
    func theUnitHoldingTheRequestGetsTheNextRevision(holder: Holder, change: (IncidentPriority, IncidentPriority, Verification)) throws {
        let (from, to, verification) = change
        var (c, first) = started(from)
        let request = try #require(first)
        #expect(request.revision == 1)
        #expect(request.answerBy == F.at(23) + DispatchPolicy().acknowledgementTimeout(for: from))
        let replies: [GuardReply.Kind] = switch holder {
        case .asked: []
        case .accepted: [.accepted]
        case .enRoute: [.accepted, .enRoute]
        case .onSite: [.accepted, .arrived]
        }
        for (i, kind) in replies.enumerated() { _ = c.handle(F.reply("P1", kind, F.at(23, 0, 10 + i)), now: F.at(23, 0, 10 + i)) }
        var changed = F.incident(at: 50, to, openedAt: F.at(23))
        changed.verification = verification
        let deadlineBefore = c.nextDeadline
        let actions = c.handle(.incidentNeedsGuard(changed), now: F.at(23, 0, 40))
        let update = try #require(actions.updates.first)
        #expect(actions.updates.count == 1)
        #expect(actions.requests.isEmpty)
        #expect(update.requestID == request.requestID)
        #expect(update.unit == "P1")
        #expect(update.revision == 2)
        #expect(update.priority == to)
        #expect(update.verification == verification)
        var expected: [String] = []
        if to > from { expected.append("priority \(from.name) → \(to.name)") }
        if verification != .none { expected.append("verification none → \(verification.rawValue)") }
        #expect(update.changes == expected)
        // The deadline stands: asked units keep theirs, accepted units have none.
        #expect(c.nextDeadline == deadlineBefore)
        #expect(update.answerBy == (holder == .asked ? request.answerBy : nil))
        // A second change is revision 3; no change at all sends nothing.
        var again = changed
        again.snapshot = "http://nvr/snap.jpg"
        #expect(c.handle(.incidentNeedsGuard(again), now: F.at(23, 0, 50)).updates.map(\.revision) == [3])
        #expect(c.handle(.incidentNeedsGuard(again), now: F.at(23, 0, 55)).isEmpty)
    }

    /// The case the issue measured: verified after dispatch, the unit answers inside the time
    /// it was first given (but after the shorter timeout of the new priority).
    @Test(arguments: [
        (IncidentPriority.unverifiedIntrusion, IncidentPriority.verifiedIntrusion, 150),
        (.unverifiedIntrusion, .fire, 170),
        (.verifiedIntrusion, .holdUp, 100),
    ])
    func aUnitAnsweringInsideItsOriginalDeadlineTakesTheIncident(from: IncidentPriority, to: IncidentPriority, answerAfter: Int) {
        var (c, _) = started(from)
        #expect(answerAfter > DispatchPolicy().acknowledgementTimeout(for: to).value / 1000)
        _ = c.handle(.incidentNeedsGuard(F.incident(at: 50, to, openedAt: F.at(23))), now: F.at(23, 0, 30))
        var all = c.tick(now: F.at(23, 0, answerAfter))
        all += c.handle(F.reply("P1", .accepted, F.at(23, 0, answerAfter)), now: F.at(23, 0, answerAfter))
        #expect(all.requests.isEmpty)
        #expect(!all.warningCodes.contains("ack-timeout"))
        #expect(all.facts.map(\.to) == [.acknowledged])
        #expect(all.centralKeys.isEmpty)
    }

    @Test func aLowerPriorityReportChangesNothing() {
        var (c, _) = started(.fire)
        #expect(c.handle(.incidentNeedsGuard(F.incident(at: 50, .tamper, openedAt: F.at(23))), now: F.at(23, 0, 5)).isEmpty)
        #expect(c.nextDeadline == F.at(23, 1))
    }

    @Test func aLateAcceptingUnitGetsLaterUpdatesOfItsOwnRequest() throws {
        var (c, _) = started(.unverifiedIntrusion)
        let timedOut = c.tick(now: F.at(23, 3))
        #expect(timedOut.requests.map(\.unit) == ["P2"])
        _ = c.handle(F.reply("P1", .accepted, F.at(23, 3, 10)), now: F.at(23, 3, 10))
        let update = try #require(c.handle(.incidentNeedsGuard(F.incident(at: 50, .fire, openedAt: F.at(23))), now: F.at(23, 4)).updates.first)
        #expect(update.unit == "P1")
        #expect(update.requestID == "I1-1")
        #expect(update.revision == 2)
    }

    @Test func anEndedIncidentSendsNoUpdate() {
        var (c, _) = started(.unverifiedIntrusion)
        _ = c.handle(.incidentEnded("I1", reason: "closed"), now: F.at(23, 1))
        #expect(c.handle(.incidentNeedsGuard(F.incident(at: 50, .fire, openedAt: F.at(23))), now: F.at(23, 2)).updates.isEmpty)
    }
}
